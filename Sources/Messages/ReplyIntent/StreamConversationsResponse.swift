internal import CReplyIntentProtos

/// `replyintent.v1.StreamConversationsResponse`: one server item of a `StreamConversations` call.
public struct StreamConversationsResponse: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.StreamConversationsResponse"

    /// The `kind` oneof.
    public enum Kind: Sendable, Equatable {
        /// The answer to a BuyerMessage, in the order the messages were sent.
        case classification(Classification)
        case alert(Alert)
        case gap(AlertGap)
        case subscribed(SubscriptionStarted)
        case correctionRecorded(CorrectionRecorded)
        case error(StreamItemError)
    }

    /// nil when the server set none of the oneof's fields.
    public var kind: Kind?

    public init(kind: Kind? = nil) { self.kind = kind }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    typealias CResponse = Replyintent__V1__StreamConversationsResponse

    static var cFunctions: CMessageFunctions<CResponse> {
        .init(
            initialize: replyintent__v1__stream_conversations_response__init,
            packedSize: replyintent__v1__stream_conversations_response__get_packed_size,
            pack: replyintent__v1__stream_conversations_response__pack,
            unpack: replyintent__v1__stream_conversations_response__unpack,
            freeUnpacked: replyintent__v1__stream_conversations_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<CResponse>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        switch c.kind_case {
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_CLASSIFICATION:
            kind = try Classification.read(c.classification, field: "classification").map(Kind.classification)
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_ALERT:
            kind = try Alert.read(c.alert, field: "alert").map(Kind.alert)
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_GAP:
            kind = try AlertGap.read(c.gap, field: "gap").map(Kind.gap)
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_SUBSCRIBED:
            kind = try SubscriptionStarted.read(c.subscribed, field: "subscribed").map(Kind.subscribed)
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_CORRECTION_RECORDED:
            kind = try CorrectionRecorded.read(c.correction_recorded, field: "correction_recorded")
                .map(Kind.correctionRecorded)
        case REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_ERROR:
            kind = try StreamItemError.read(c.error, field: "error").map(Kind.error)
        default:
            kind = nil
        }
    }

    var arenaByteCount: Int {
        switch kind {
        case nil: 0
        case .classification(let value): EncodeArena.messageByteCount(value)
        case .alert(let value): EncodeArena.messageByteCount(value)
        case .gap(let value): EncodeArena.messageByteCount(value)
        case .subscribed(let value): EncodeArena.messageByteCount(value)
        case .correctionRecorded(let value): EncodeArena.messageByteCount(value)
        case .error(let value): EncodeArena.messageByteCount(value)
        }
    }

    func fill(_ c: UnsafeMutablePointer<CResponse>, in arena: inout EncodeArena) {
        switch kind {
        case nil:
            break
        case .classification(let value):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_CLASSIFICATION
            c.pointee.classification = arena.messageStruct(value)
        case .alert(let value):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_ALERT
            c.pointee.alert = arena.messageStruct(value)
        case .gap(let value):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_GAP
            c.pointee.gap = arena.messageStruct(value)
        case .subscribed(let value):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_SUBSCRIBED
            c.pointee.subscribed = arena.messageStruct(value)
        case .correctionRecorded(let value):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_CORRECTION_RECORDED
            c.pointee.correction_recorded = arena.messageStruct(value)
        case .error(let value):
            c.pointee.kind_case = REPLYINTENT__V1__STREAM_CONVERSATIONS_RESPONSE__KIND_ERROR
            c.pointee.error = arena.messageStruct(value)
        }
    }
}
