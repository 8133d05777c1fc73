internal import CReplyIntentProtos

/// `grpc.testing.EchoStatus`: the status a client asks the server to end the call with.
public struct EchoStatus: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.EchoStatus"

    /// A gRPC status code (0 = OK).
    public var code: Int32
    public var message: String

    public init(code: Int32 = 0, message: String = "") {
        self.code = code
        self.message = message
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__EchoStatus> {
        .init(
            initialize: grpc__testing__echo_status__init, packedSize: grpc__testing__echo_status__get_packed_size,
            pack: grpc__testing__echo_status__pack, unpack: grpc__testing__echo_status__unpack,
            freeUnpacked: grpc__testing__echo_status__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__EchoStatus>) {
        code = cMessage.pointee.code
        message = CField.string(cMessage.pointee.message)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__EchoStatus>) -> R) -> R {
        Self.withDefaultCMessage { c in
            c.pointee.code = code
            return CField.withString(message) { text in
                c.pointee.message = text
                return body(c)
            }
        }
    }
}
