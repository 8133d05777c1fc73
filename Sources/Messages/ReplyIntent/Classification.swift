internal import CReplyIntentProtos

/// `replyintent.v1.Classification`: everything ReplyIntent says about one message.
public struct Classification: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.Classification"

    /// `replyintent.v1.Priority`: how soon a person should look at a message (larger is more
    /// urgent). Open, so an unknown value survives decoding: check ``isKnown``.
    /// Also the type of ``Alert/priority`` and ``AlertSubscription/minPriority``.
    public struct Priority: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let unspecified = Priority(rawValue: 0)
        public static let low = Priority(rawValue: 1)
        public static let normal = Priority(rawValue: 2)
        public static let high = Priority(rawValue: 3)
        public static let urgent = Priority(rawValue: 4)

        /// Whether the value is one the proto defines.
        public var isKnown: Bool { (0...4).contains(rawValue) }

        public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch rawValue {
            case 0: "PRIORITY_UNSPECIFIED"
            case 1: "PRIORITY_LOW"
            case 2: "PRIORITY_NORMAL"
            case 3: "PRIORITY_HIGH"
            case 4: "PRIORITY_URGENT"
            default: "Priority(\(rawValue))"
            }
        }

        init(_ value: Replyintent__V1__Priority) { rawValue = Int32(bitPattern: value.rawValue) }
        var cValue: Replyintent__V1__Priority { .init(rawValue: UInt32(bitPattern: rawValue)) }
    }

    /// Echoes BuyerMessage.message_id.
    public var messageID: String
    /// Echoes BuyerMessage.conversation_id.
    public var conversationID: String
    /// The decided intent: the top class, or "other" when out of scope.
    public var intent: String
    /// Calibrated confidence of the top class, in [0, 1].
    public var confidence: Float
    public var outOfScope: Bool
    /// The top_k intents, most likely first.
    public var rankedIntents: [IntentScore]
    public var language: DetectedLanguage?
    /// Anger/negativity in [0, 1].
    public var toneScore: Float
    public var angry: Bool
    /// Threat and risk terms, in the order they appear in the text.
    public var riskHits: [RiskHit]
    public var priority: Priority
    /// Why the priority is what it is, one short English sentence each.
    public var priorityReasons: [String]
    public var model: ModelRef?

    public init(
        messageID: String = "", conversationID: String = "", intent: String = "", confidence: Float = 0,
        outOfScope: Bool = false, rankedIntents: [IntentScore] = [], language: DetectedLanguage? = nil,
        toneScore: Float = 0, angry: Bool = false, riskHits: [RiskHit] = [], priority: Priority = .unspecified,
        priorityReasons: [String] = [], model: ModelRef? = nil
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.intent = intent
        self.confidence = confidence
        self.outOfScope = outOfScope
        self.rankedIntents = rankedIntents
        self.language = language
        self.toneScore = toneScore
        self.angry = angry
        self.riskHits = riskHits
        self.priority = priority
        self.priorityReasons = priorityReasons
        self.model = model
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__Classification> {
        .init(
            initialize: replyintent__v1__classification__init,
            packedSize: replyintent__v1__classification__get_packed_size,
            pack: replyintent__v1__classification__pack, unpack: replyintent__v1__classification__unpack,
            freeUnpacked: replyintent__v1__classification__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__Classification>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        messageID = try CString.read(c.message_id, field: "message_id")
        conversationID = try CString.read(c.conversation_id, field: "conversation_id")
        intent = try CString.read(c.intent, field: "intent")
        confidence = c.confidence
        outOfScope = CField.bool(c.out_of_scope)
        rankedIntents = try [IntentScore](
            count: c.n_ranked_intents, cMessages: c.ranked_intents, field: "ranked_intents")
        language = try DetectedLanguage.read(c.language, field: "language")
        toneScore = c.tone_score
        angry = CField.bool(c.angry)
        riskHits = try [RiskHit](count: c.n_risk_hits, cMessages: c.risk_hits, field: "risk_hits")
        priority = Priority(c.priority)
        priorityReasons = try CString.read(count: c.n_priority_reasons, c.priority_reasons, field: "priority_reasons")
        model = try ModelRef.read(c.model, field: "model")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(messageID)
            + EncodeArena.byteCount(conversationID)
            + EncodeArena.byteCount(intent)
            + EncodeArena.byteCount(rankedIntents)
            + EncodeArena.byteCount(language)
            + EncodeArena.byteCount(riskHits)
            + EncodeArena.byteCount(priorityReasons)
            + EncodeArena.byteCount(model)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__Classification>, in arena: inout EncodeArena) {
        if let messageID = arena.string(messageID) { c.pointee.message_id = messageID }
        if let conversationID = arena.string(conversationID) { c.pointee.conversation_id = conversationID }
        if let intent = arena.string(intent) { c.pointee.intent = intent }
        c.pointee.confidence = confidence
        c.pointee.out_of_scope = CField.bool(outOfScope)
        (c.pointee.n_ranked_intents, c.pointee.ranked_intents) = arena.messages(rankedIntents)
        c.pointee.language = arena.message(language)
        c.pointee.tone_score = toneScore
        c.pointee.angry = CField.bool(angry)
        (c.pointee.n_risk_hits, c.pointee.risk_hits) = arena.messages(riskHits)
        c.pointee.priority = priority.cValue
        (c.pointee.n_priority_reasons, c.pointee.priority_reasons) = arena.strings(priorityReasons)
        c.pointee.model = arena.message(model)
    }
}
