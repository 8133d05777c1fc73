internal import CReplyIntentProtos

/// `replyintent.v1.StreamConversationsRequest`: one client item of a `StreamConversations` call.
public struct StreamConversationsRequest: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.StreamConversationsRequest"

    /// The `kind` oneof.
    public enum Kind: Sendable, Equatable {
        case message(BuyerMessage)
        case correction(AgentCorrection)
        case subscribe(AlertSubscription)
    }

    /// nil when the client set none of the oneof's fields.
    public var kind: Kind?

    public init(kind: Kind? = nil) { self.kind = kind }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__StreamConversationsRequest> {
        .init(
            initialize: replyintent__v1__stream_conversations_request__init,
            packedSize: replyintent__v1__stream_conversations_request__get_packed_size,
            pack: replyintent__v1__stream_conversations_request__pack,
            unpack: replyintent__v1__stream_conversations_request__unpack,
            freeUnpacked: replyintent__v1__stream_conversations_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__StreamConversationsRequest>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        switch c.kind_case {
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_REQUEST__KIND_MESSAGE:
            kind = try BuyerMessage.read(c.message, field: "message").map(Kind.message)
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_REQUEST__KIND_CORRECTION:
            kind = try AgentCorrection.read(c.correction, field: "correction").map(Kind.correction)
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_REQUEST__KIND_SUBSCRIBE:
            kind = try AlertSubscription.read(c.subscribe, field: "subscribe").map(Kind.subscribe)
        default:
            kind = nil
        }
    }

    var arenaByteCount: Int {
        switch kind {
        case nil: 0
        case .message(let message): EncodeArena.messageByteCount(message)
        case .correction(let correction): EncodeArena.messageByteCount(correction)
        case .subscribe(let subscription): EncodeArena.messageByteCount(subscription)
        }
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__StreamConversationsRequest>, in arena: inout EncodeArena) {
        switch kind {
        case nil:
            break
        case .message(let message):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_REQUEST__KIND_MESSAGE
            c.pointee.message = arena.messageStruct(message)
        case .correction(let correction):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_REQUEST__KIND_CORRECTION
            c.pointee.correction = arena.messageStruct(correction)
        case .subscribe(let subscription):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_REQUEST__KIND_SUBSCRIBE
            c.pointee.subscribe = arena.messageStruct(subscription)
        }
    }
}

/// `replyintent.v1.AgentCorrection`: the right intent for a message classified earlier.
public struct AgentCorrection: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.AgentCorrection"

    /// The message being corrected.
    public var messageID: String
    public var conversationID: String
    /// The right intent; must be one of the model's labels.
    public var intent: String
    /// Who corrected it.
    public var agentID: String

    public init(messageID: String = "", conversationID: String = "", intent: String = "", agentID: String = "") {
        self.messageID = messageID
        self.conversationID = conversationID
        self.intent = intent
        self.agentID = agentID
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__AgentCorrection> {
        .init(
            initialize: replyintent__v1__agent_correction__init,
            packedSize: replyintent__v1__agent_correction__get_packed_size,
            pack: replyintent__v1__agent_correction__pack, unpack: replyintent__v1__agent_correction__unpack,
            freeUnpacked: replyintent__v1__agent_correction__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__AgentCorrection>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        messageID = try CString.read(c.message_id, field: "message_id")
        conversationID = try CString.read(c.conversation_id, field: "conversation_id")
        intent = try CString.read(c.intent, field: "intent")
        agentID = try CString.read(c.agent_id, field: "agent_id")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(messageID)
            + EncodeArena.byteCount(conversationID)
            + EncodeArena.byteCount(intent)
            + EncodeArena.byteCount(agentID)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__AgentCorrection>, in arena: inout EncodeArena) {
        if let messageID = arena.string(messageID) { c.pointee.message_id = messageID }
        if let conversationID = arena.string(conversationID) { c.pointee.conversation_id = conversationID }
        if let intent = arena.string(intent) { c.pointee.intent = intent }
        if let agentID = arena.string(agentID) { c.pointee.agent_id = agentID }
    }
}

/// `replyintent.v1.AlertSubscription`: subscribes the stream to the tenant's alerts.
public struct AlertSubscription: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.AlertSubscription"

    /// Only alerts at or above this priority (``Classification/Priority/unspecified`` means high).
    public var minPriority: Classification.Priority
    /// The last alert sequence number this subscriber saw; 0: only alerts from now on.
    public var resumeAfterSequence: UInt64

    public init(minPriority: Classification.Priority = .unspecified, resumeAfterSequence: UInt64 = 0) {
        self.minPriority = minPriority
        self.resumeAfterSequence = resumeAfterSequence
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__AlertSubscription> {
        .init(
            initialize: replyintent__v1__alert_subscription__init,
            packedSize: replyintent__v1__alert_subscription__get_packed_size,
            pack: replyintent__v1__alert_subscription__pack, unpack: replyintent__v1__alert_subscription__unpack,
            freeUnpacked: replyintent__v1__alert_subscription__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__AlertSubscription>) throws(InvalidUTF8Field) {
        minPriority = Classification.Priority(cMessage.pointee.min_priority)
        resumeAfterSequence = cMessage.pointee.resume_after_sequence
    }

    var arenaByteCount: Int { 0 }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__AlertSubscription>, in arena: inout EncodeArena) {
        c.pointee.min_priority = minPriority.cValue
        c.pointee.resume_after_sequence = resumeAfterSequence
    }
}
