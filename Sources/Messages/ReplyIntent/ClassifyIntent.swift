internal import CReplyIntentProtos

/// `replyintent.v1.ClassifyIntentRequest`: asks for the classification of one message.
public struct ClassifyIntentRequest: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ClassifyIntentRequest"

    public var message: BuyerMessage?
    /// How many ranked intents to return: 0 means 3.
    public var topK: UInt32
    /// The model to use: empty for the tenant's default.
    public var model: String

    public init(message: BuyerMessage? = nil, topK: UInt32 = 0, model: String = "") {
        self.message = message
        self.topK = topK
        self.model = model
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ClassifyIntentRequest> {
        .init(
            initialize: replyintent__v1__classify_intent_request__init,
            packedSize: replyintent__v1__classify_intent_request__get_packed_size,
            pack: replyintent__v1__classify_intent_request__pack,
            unpack: replyintent__v1__classify_intent_request__unpack,
            freeUnpacked: replyintent__v1__classify_intent_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ClassifyIntentRequest>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        message = try BuyerMessage.read(c.message, field: "message")
        topK = c.top_k
        model = try CString.read(c.model, field: "model")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(message)
            + EncodeArena.byteCount(model)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ClassifyIntentRequest>, in arena: inout EncodeArena) {
        c.pointee.message = arena.message(message)
        c.pointee.top_k = topK
        if let model = arena.string(model) { c.pointee.model = model }
    }
}

/// `replyintent.v1.ClassifyIntentResponse`.
public struct ClassifyIntentResponse: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ClassifyIntentResponse"

    public var classification: Classification?

    public init(classification: Classification? = nil) { self.classification = classification }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ClassifyIntentResponse> {
        .init(
            initialize: replyintent__v1__classify_intent_response__init,
            packedSize: replyintent__v1__classify_intent_response__get_packed_size,
            pack: replyintent__v1__classify_intent_response__pack,
            unpack: replyintent__v1__classify_intent_response__unpack,
            freeUnpacked: replyintent__v1__classify_intent_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ClassifyIntentResponse>) throws(InvalidUTF8Field) {
        classification = try Classification.read(cMessage.pointee.classification, field: "classification")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(classification)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ClassifyIntentResponse>, in arena: inout EncodeArena) {
        c.pointee.classification = arena.message(classification)
    }
}
