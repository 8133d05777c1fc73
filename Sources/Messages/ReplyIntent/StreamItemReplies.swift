internal import CReplyIntentProtos

/// `replyintent.v1.CorrectionRecorded`: the answer to a correction, once it is recorded.
public struct CorrectionRecorded: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.CorrectionRecorded"

    public var messageID: String
    /// The intent this stream had answered for the message; empty when unknown.
    public var previousIntent: String
    public var correctedIntent: String

    public init(messageID: String = "", previousIntent: String = "", correctedIntent: String = "") {
        self.messageID = messageID
        self.previousIntent = previousIntent
        self.correctedIntent = correctedIntent
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__CorrectionRecorded> {
        .init(
            initialize: replyintent__v1__correction_recorded__init,
            packedSize: replyintent__v1__correction_recorded__get_packed_size,
            pack: replyintent__v1__correction_recorded__pack, unpack: replyintent__v1__correction_recorded__unpack,
            freeUnpacked: replyintent__v1__correction_recorded__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__CorrectionRecorded>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        messageID = try CString.read(c.message_id, field: "message_id")
        previousIntent = try CString.read(c.previous_intent, field: "previous_intent")
        correctedIntent = try CString.read(c.corrected_intent, field: "corrected_intent")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(messageID)
            + EncodeArena.byteCount(previousIntent)
            + EncodeArena.byteCount(correctedIntent)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__CorrectionRecorded>, in arena: inout EncodeArena) {
        if let messageID = arena.string(messageID) { c.pointee.message_id = messageID }
        if let previousIntent = arena.string(previousIntent) { c.pointee.previous_intent = previousIntent }
        if let correctedIntent = arena.string(correctedIntent) { c.pointee.corrected_intent = correctedIntent }
    }
}

/// `replyintent.v1.StreamItemError`: an item of the stream that could not be processed.
public struct StreamItemError: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.StreamItemError"

    /// The message_id of the item, when it had one.
    public var messageID: String
    /// A gRPC status code (3 = INVALID_ARGUMENT, ...).
    public var code: Int32
    /// What was wrong, for a person.
    public var message: String

    public init(messageID: String = "", code: Int32 = 0, message: String = "") {
        self.messageID = messageID
        self.code = code
        self.message = message
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__StreamItemError> {
        .init(
            initialize: replyintent__v1__stream_item_error__init,
            packedSize: replyintent__v1__stream_item_error__get_packed_size,
            pack: replyintent__v1__stream_item_error__pack, unpack: replyintent__v1__stream_item_error__unpack,
            freeUnpacked: replyintent__v1__stream_item_error__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__StreamItemError>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        messageID = try CString.read(c.message_id, field: "message_id")
        code = c.code
        message = try CString.read(c.message, field: "message")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(messageID)
            + EncodeArena.byteCount(message)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__StreamItemError>, in arena: inout EncodeArena) {
        if let messageID = arena.string(messageID) { c.pointee.message_id = messageID }
        c.pointee.code = code
        if let message = arena.string(message) { c.pointee.message = message }
    }
}
