internal import CReplyIntentProtos

/// `grpc.health.v1.HealthCheckRequest`: which service to check ("" = the whole server).
public struct HealthCheckRequest: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.health.v1.HealthCheckRequest"

    public var service: String

    public init(service: String = "") { self.service = service }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Health__V1__HealthCheckRequest> {
        .init(
            initialize: grpc__health__v1__health_check_request__init,
            packedSize: grpc__health__v1__health_check_request__get_packed_size,
            pack: grpc__health__v1__health_check_request__pack,
            unpack: grpc__health__v1__health_check_request__unpack,
            freeUnpacked: grpc__health__v1__health_check_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Health__V1__HealthCheckRequest>) {
        service = CField.string(cMessage.pointee.service)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Health__V1__HealthCheckRequest>) -> R) -> R {
        Self.withDefaultCMessage { c in
            CField.withString(service) { service in
                c.pointee.service = service
                return body(c)
            }
        }
    }
}
