internal import CReplyIntentProtos

/// `replyintent.v1.SuggestReplyResponse`: the classification, the suggested reply and what to do with it.
public struct SuggestReplyResponse: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.SuggestReplyResponse"

    /// `replyintent.v1.Decision`: what to do with the suggested reply. Open: check ``isKnown``.
    public struct Decision: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let unspecified = Decision(rawValue: 0)
        /// Send the reply now, without a person.
        public static let autoSend = Decision(rawValue: 1)
        /// Show the reply to an agent, who sends or edits it.
        public static let suggest = Decision(rawValue: 2)
        /// Hand the conversation to a person now.
        public static let escalate = Decision(rawValue: 3)

        public var isKnown: Bool { (0...3).contains(rawValue) }

        public var description: String {
            switch rawValue {
            case 0: "DECISION_UNSPECIFIED"
            case 1: "DECISION_AUTO_SEND"
            case 2: "DECISION_SUGGEST"
            case 3: "DECISION_ESCALATE"
            default: "Decision(\(rawValue))"
            }
        }

        init(_ value: Replyintent__V1__Decision) { rawValue = Int32(bitPattern: value.rawValue) }
        var cValue: Replyintent__V1__Decision { .init(rawValue: UInt32(bitPattern: rawValue)) }
    }

    /// `replyintent.v1.ReplyLanguageSource`: which language the reply was written in, and why.
    public struct LanguageSource: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let unspecified = LanguageSource(rawValue: 0)
        /// The buyer's language had a template.
        public static let buyer = LanguageSource(rawValue: 1)
        /// The tenant's default language was used.
        public static let tenantDefault = LanguageSource(rawValue: 2)
        /// English was used.
        public static let english = LanguageSource(rawValue: 3)

        public var isKnown: Bool { (0...3).contains(rawValue) }

        public var description: String {
            switch rawValue {
            case 0: "REPLY_LANGUAGE_SOURCE_UNSPECIFIED"
            case 1: "REPLY_LANGUAGE_SOURCE_BUYER"
            case 2: "REPLY_LANGUAGE_SOURCE_TENANT_DEFAULT"
            case 3: "REPLY_LANGUAGE_SOURCE_ENGLISH"
            default: "ReplyLanguageSource(\(rawValue))"
            }
        }

        init(_ value: Replyintent__V1__ReplyLanguageSource) { rawValue = Int32(bitPattern: value.rawValue) }
        var cValue: Replyintent__V1__ReplyLanguageSource { .init(rawValue: UInt32(bitPattern: rawValue)) }
    }

    public var classification: Classification?
    /// The reply, variables filled in.
    public var replyText: String
    /// ISO 639-1 code of the reply.
    public var replyLanguage: String
    public var replyLanguageSource: LanguageSource
    /// "<owner>/<language>/<intent>".
    public var templateID: String
    /// Variables the template uses that the request did not give (or gave empty), sorted.
    public var missingVariables: [String]
    public var decision: Decision
    /// Why, one short English sentence each.
    public var decisionReasons: [String]

    public init(
        classification: Classification? = nil, replyText: String = "", replyLanguage: String = "",
        replyLanguageSource: LanguageSource = .unspecified, templateID: String = "", missingVariables: [String] = [],
        decision: Decision = .unspecified, decisionReasons: [String] = []
    ) {
        self.classification = classification
        self.replyText = replyText
        self.replyLanguage = replyLanguage
        self.replyLanguageSource = replyLanguageSource
        self.templateID = templateID
        self.missingVariables = missingVariables
        self.decision = decision
        self.decisionReasons = decisionReasons
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__SuggestReplyResponse> {
        .init(
            initialize: replyintent__v1__suggest_reply_response__init,
            packedSize: replyintent__v1__suggest_reply_response__get_packed_size,
            pack: replyintent__v1__suggest_reply_response__pack,
            unpack: replyintent__v1__suggest_reply_response__unpack,
            freeUnpacked: replyintent__v1__suggest_reply_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__SuggestReplyResponse>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        classification = try Classification.read(c.classification, field: "classification")
        replyText = try CString.read(c.reply_text, field: "reply_text")
        replyLanguage = try CString.read(c.reply_language, field: "reply_language")
        replyLanguageSource = LanguageSource(c.reply_language_source)
        templateID = try CString.read(c.template_id, field: "template_id")
        missingVariables = try CString.read(
            count: c.n_missing_variables, c.missing_variables, field: "missing_variables")
        decision = Decision(c.decision)
        decisionReasons = try CString.read(count: c.n_decision_reasons, c.decision_reasons, field: "decision_reasons")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(classification)
            + EncodeArena.byteCount(replyText)
            + EncodeArena.byteCount(replyLanguage)
            + EncodeArena.byteCount(templateID)
            + EncodeArena.byteCount(missingVariables)
            + EncodeArena.byteCount(decisionReasons)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__SuggestReplyResponse>, in arena: inout EncodeArena) {
        c.pointee.classification = arena.message(classification)
        if let replyText = arena.string(replyText) { c.pointee.reply_text = replyText }
        if let replyLanguage = arena.string(replyLanguage) { c.pointee.reply_language = replyLanguage }
        c.pointee.reply_language_source = replyLanguageSource.cValue
        if let templateID = arena.string(templateID) { c.pointee.template_id = templateID }
        (c.pointee.n_missing_variables, c.pointee.missing_variables) = arena.strings(missingVariables)
        c.pointee.decision = decision.cValue
        (c.pointee.n_decision_reasons, c.pointee.decision_reasons) = arena.strings(decisionReasons)
    }
}
