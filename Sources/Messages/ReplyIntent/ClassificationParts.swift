internal import CReplyIntentProtos

/// `replyintent.v1.IntentScore`: one intent with its calibrated probability.
public struct IntentScore: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.IntentScore"

    /// An intent label such as "order_status".
    public var intent: String
    /// Calibrated probability in [0, 1].
    public var confidence: Float

    public init(intent: String = "", confidence: Float = 0) {
        self.intent = intent
        self.confidence = confidence
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__IntentScore> {
        .init(
            initialize: replyintent__v1__intent_score__init,
            packedSize: replyintent__v1__intent_score__get_packed_size,
            pack: replyintent__v1__intent_score__pack, unpack: replyintent__v1__intent_score__unpack,
            freeUnpacked: replyintent__v1__intent_score__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__IntentScore>) throws(InvalidUTF8Field) {
        intent = try CString.read(cMessage.pointee.intent, field: "intent")
        confidence = cMessage.pointee.confidence
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(intent)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__IntentScore>, in arena: inout EncodeArena) {
        if let intent = arena.string(intent) { c.pointee.intent = intent }
        c.pointee.confidence = confidence
    }
}

/// `replyintent.v1.DetectedLanguage`: a language with the identifier's confidence.
public struct DetectedLanguage: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.DetectedLanguage"

    /// ISO 639-1 code, or "und" when undetermined.
    public var code: String
    /// In [0, 1].
    public var confidence: Float

    public init(code: String = "", confidence: Float = 0) {
        self.code = code
        self.confidence = confidence
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__DetectedLanguage> {
        .init(
            initialize: replyintent__v1__detected_language__init,
            packedSize: replyintent__v1__detected_language__get_packed_size,
            pack: replyintent__v1__detected_language__pack, unpack: replyintent__v1__detected_language__unpack,
            freeUnpacked: replyintent__v1__detected_language__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__DetectedLanguage>) throws(InvalidUTF8Field) {
        code = try CString.read(cMessage.pointee.code, field: "code")
        confidence = cMessage.pointee.confidence
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(code)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__DetectedLanguage>, in arena: inout EncodeArena) {
        if let code = arena.string(code) { c.pointee.code = code }
        c.pointee.confidence = confidence
    }
}

/// `replyintent.v1.RiskHit`: a threat or high-risk term found in the text.
public struct RiskHit: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.RiskHit"

    /// The term as listed in the lexicon.
    public var term: String
    /// "threat.chargeback", "risk.scam", ...
    public var category: String
    /// The lexicon language of the term.
    public var language: String

    public init(term: String = "", category: String = "", language: String = "") {
        self.term = term
        self.category = category
        self.language = language
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__RiskHit> {
        .init(
            initialize: replyintent__v1__risk_hit__init,
            packedSize: replyintent__v1__risk_hit__get_packed_size,
            pack: replyintent__v1__risk_hit__pack, unpack: replyintent__v1__risk_hit__unpack,
            freeUnpacked: replyintent__v1__risk_hit__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__RiskHit>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        term = try CString.read(c.term, field: "term")
        category = try CString.read(c.category, field: "category")
        language = try CString.read(c.language, field: "language")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(term)
            + EncodeArena.byteCount(category)
            + EncodeArena.byteCount(language)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__RiskHit>, in arena: inout EncodeArena) {
        if let term = arena.string(term) { c.pointee.term = term }
        if let category = arena.string(category) { c.pointee.category = category }
        if let language = arena.string(language) { c.pointee.language = language }
    }
}

/// `replyintent.v1.ModelRef`: the model that produced an answer.
public struct ModelRef: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ModelRef"

    /// The tenant that owns the model; empty for the shared default model.
    public var tenant: String
    public var name: String
    /// The model file's version string plus its CRC-32, e.g. "2026.11.20+9f3a02c1".
    public var version: String

    public init(tenant: String = "", name: String = "", version: String = "") {
        self.tenant = tenant
        self.name = name
        self.version = version
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ModelRef> {
        .init(
            initialize: replyintent__v1__model_ref__init,
            packedSize: replyintent__v1__model_ref__get_packed_size,
            pack: replyintent__v1__model_ref__pack, unpack: replyintent__v1__model_ref__unpack,
            freeUnpacked: replyintent__v1__model_ref__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ModelRef>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        tenant = try CString.read(c.tenant, field: "tenant")
        name = try CString.read(c.name, field: "name")
        version = try CString.read(c.version, field: "version")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(tenant)
            + EncodeArena.byteCount(name)
            + EncodeArena.byteCount(version)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ModelRef>, in arena: inout EncodeArena) {
        if let tenant = arena.string(tenant) { c.pointee.tenant = tenant }
        if let name = arena.string(name) { c.pointee.name = name }
        if let version = arena.string(version) { c.pointee.version = version }
    }
}
