internal import CReplyIntentProtos

/// `grpc.testing.PayloadType`. Open like every proto3 enum: an unknown value round-trips.
public struct PayloadType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Compressable text format (the only type the interop protos define).
    public static let compressable = PayloadType(rawValue: 0)

    public var description: String { self == .compressable ? "COMPRESSABLE" : "PayloadType(\(rawValue))" }

    init(_ value: Grpc__Testing__PayloadType) { rawValue = Int32(bitPattern: value.rawValue) }
    var cValue: Grpc__Testing__PayloadType { Grpc__Testing__PayloadType(rawValue: UInt32(bitPattern: rawValue)) }
}

/// `grpc.testing.Payload`: a block of bytes that makes a message as large as a test needs.
public struct Payload: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.Payload"

    public var type: PayloadType
    public var body: [UInt8]

    public init(type: PayloadType = .compressable, body: [UInt8] = []) {
        self.type = type
        self.body = body
    }

    /// A compressable payload of `size` zero bytes, as the interop servers send.
    public static func zeros(_ size: Int) -> Payload { Payload(body: [UInt8](repeating: 0, count: size)) }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__Payload> {
        .init(
            initialize: grpc__testing__payload__init, packedSize: grpc__testing__payload__get_packed_size,
            pack: grpc__testing__payload__pack, unpack: grpc__testing__payload__unpack,
            freeUnpacked: grpc__testing__payload__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__Payload>) {
        type = PayloadType(cMessage.pointee.type)
        body = CField.bytes(cMessage.pointee.body)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__Payload>) -> R) -> R {
        Self.withDefaultCMessage { message in
            message.pointee.type = type.cValue
            return CField.withBytes(self.body) { bytes in
                message.pointee.body = bytes
                return body(message)
            }
        }
    }
}
