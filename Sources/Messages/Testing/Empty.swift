internal import CReplyIntentProtos

/// `grpc.testing.Empty`: a message with no fields (encodes to zero bytes).
public struct Empty: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.Empty"

    public init() {}

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__Empty> {
        .init(
            initialize: grpc__testing__empty__init, packedSize: grpc__testing__empty__get_packed_size,
            pack: grpc__testing__empty__pack, unpack: grpc__testing__empty__unpack,
            freeUnpacked: grpc__testing__empty__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__Empty>) {}

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__Empty>) -> R) -> R {
        Self.withDefaultCMessage { body($0) }
    }
}
