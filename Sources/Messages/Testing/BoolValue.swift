internal import CReplyIntentProtos

/// `grpc.testing.BoolValue`: a boolean whose presence matters (the interop protos' nullable bool).
public struct BoolValue: ProtobufMessage, CBackedMessage, ExpressibleByBooleanLiteral {
    public static let protoName = "grpc.testing.BoolValue"

    public var value: Bool

    public init(_ value: Bool = false) { self.value = value }
    public init(booleanLiteral value: Bool) { self.value = value }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__BoolValue> {
        .init(
            initialize: grpc__testing__bool_value__init, packedSize: grpc__testing__bool_value__get_packed_size,
            pack: grpc__testing__bool_value__pack, unpack: grpc__testing__bool_value__unpack,
            freeUnpacked: grpc__testing__bool_value__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__BoolValue>) {
        value = CField.bool(cMessage.pointee.value)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__BoolValue>) -> R) -> R {
        Self.withDefaultCMessage { message in
            message.pointee.value = CField.bool(value)
            return body(message)
        }
    }
}
