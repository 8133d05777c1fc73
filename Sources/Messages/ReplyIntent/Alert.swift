internal import CReplyIntentProtos

/// `replyintent.v1.Alert`: an urgent (or high-priority) conversation a person should look at.
public struct Alert: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.Alert"

    /// Per-tenant, from 1, one more for each alert the tenant raises.
    public var sequence: UInt64
    public var conversationID: String
    public var messageID: String
    public var buyerID: String
    public var platform: BuyerMessage.Platform
    public var priority: Classification.Priority
    /// Why (as ``Classification/priorityReasons``).
    public var reasons: [String]
    /// The decided intent.
    public var intent: String
    /// When the alert was raised, ms since 1970-01-01 UTC.
    public var raisedAtUnixMs: Int64

    public init(
        sequence: UInt64 = 0, conversationID: String = "", messageID: String = "", buyerID: String = "",
        platform: BuyerMessage.Platform = .unspecified, priority: Classification.Priority = .unspecified,
        reasons: [String] = [], intent: String = "", raisedAtUnixMs: Int64 = 0
    ) {
        self.sequence = sequence
        self.conversationID = conversationID
        self.messageID = messageID
        self.buyerID = buyerID
        self.platform = platform
        self.priority = priority
        self.reasons = reasons
        self.intent = intent
        self.raisedAtUnixMs = raisedAtUnixMs
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__Alert> {
        .init(
            initialize: replyintent__v1__alert__init, packedSize: replyintent__v1__alert__get_packed_size,
            pack: replyintent__v1__alert__pack, unpack: replyintent__v1__alert__unpack,
            freeUnpacked: replyintent__v1__alert__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__Alert>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        sequence = c.sequence
        conversationID = try CString.read(c.conversation_id, field: "conversation_id")
        messageID = try CString.read(c.message_id, field: "message_id")
        buyerID = try CString.read(c.buyer_id, field: "buyer_id")
        platform = BuyerMessage.Platform(c.platform)
        priority = Classification.Priority(c.priority)
        reasons = try CString.read(count: c.n_reasons, c.reasons, field: "reasons")
        intent = try CString.read(c.intent, field: "intent")
        raisedAtUnixMs = c.raised_at_unix_ms
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(conversationID)
            + EncodeArena.byteCount(messageID)
            + EncodeArena.byteCount(buyerID)
            + EncodeArena.byteCount(reasons)
            + EncodeArena.byteCount(intent)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__Alert>, in arena: inout EncodeArena) {
        c.pointee.sequence = sequence
        if let conversationID = arena.string(conversationID) { c.pointee.conversation_id = conversationID }
        if let messageID = arena.string(messageID) { c.pointee.message_id = messageID }
        if let buyerID = arena.string(buyerID) { c.pointee.buyer_id = buyerID }
        c.pointee.platform = platform.cValue
        c.pointee.priority = priority.cValue
        (c.pointee.n_reasons, c.pointee.reasons) = arena.strings(reasons)
        if let intent = arena.string(intent) { c.pointee.intent = intent }
        c.pointee.raised_at_unix_ms = raisedAtUnixMs
    }
}

/// `replyintent.v1.AlertGap`: alerts the subscriber asked for that the server no longer has.
public struct AlertGap: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.AlertGap"

    public var firstMissedSequence: UInt64
    public var lastMissedSequence: UInt64

    public init(firstMissedSequence: UInt64 = 0, lastMissedSequence: UInt64 = 0) {
        self.firstMissedSequence = firstMissedSequence
        self.lastMissedSequence = lastMissedSequence
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__AlertGap> {
        .init(
            initialize: replyintent__v1__alert_gap__init, packedSize: replyintent__v1__alert_gap__get_packed_size,
            pack: replyintent__v1__alert_gap__pack, unpack: replyintent__v1__alert_gap__unpack,
            freeUnpacked: replyintent__v1__alert_gap__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__AlertGap>) throws(InvalidUTF8Field) {
        firstMissedSequence = cMessage.pointee.first_missed_sequence
        lastMissedSequence = cMessage.pointee.last_missed_sequence
    }

    var arenaByteCount: Int { 0 }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__AlertGap>, in arena: inout EncodeArena) {
        c.pointee.first_missed_sequence = firstMissedSequence
        c.pointee.last_missed_sequence = lastMissedSequence
    }
}

/// `replyintent.v1.SubscriptionStarted`: the answer to a subscription.
public struct SubscriptionStarted: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.SubscriptionStarted"

    /// The sequence number the next new alert will have.
    public var nextSequence: UInt64
    /// The oldest sequence number still in the buffer (0 when it is empty).
    public var oldestBufferedSequence: UInt64
    public var minPriority: Classification.Priority

    public init(
        nextSequence: UInt64 = 0, oldestBufferedSequence: UInt64 = 0,
        minPriority: Classification.Priority = .unspecified
    ) {
        self.nextSequence = nextSequence
        self.oldestBufferedSequence = oldestBufferedSequence
        self.minPriority = minPriority
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__SubscriptionStarted> {
        .init(
            initialize: replyintent__v1__subscription_started__init,
            packedSize: replyintent__v1__subscription_started__get_packed_size,
            pack: replyintent__v1__subscription_started__pack, unpack: replyintent__v1__subscription_started__unpack,
            freeUnpacked: replyintent__v1__subscription_started__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__SubscriptionStarted>) throws(InvalidUTF8Field) {
        nextSequence = cMessage.pointee.next_sequence
        oldestBufferedSequence = cMessage.pointee.oldest_buffered_sequence
        minPriority = Classification.Priority(cMessage.pointee.min_priority)
    }

    var arenaByteCount: Int { 0 }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__SubscriptionStarted>, in arena: inout EncodeArena) {
        c.pointee.next_sequence = nextSequence
        c.pointee.oldest_buffered_sequence = oldestBufferedSequence
        c.pointee.min_priority = minPriority.cValue
    }
}
