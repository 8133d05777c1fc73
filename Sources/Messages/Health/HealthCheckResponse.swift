internal import CReplyIntentProtos

/// `grpc.health.v1.HealthCheckResponse`: the serving status of the service asked about.
public struct HealthCheckResponse: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.health.v1.HealthCheckResponse"

    /// `grpc.health.v1.HealthCheckResponse.ServingStatus`; open, so a newer value round-trips.
    public struct ServingStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let unknown = ServingStatus(rawValue: 0)
        public static let serving = ServingStatus(rawValue: 1)
        public static let notServing = ServingStatus(rawValue: 2)
        /// Used only by `Watch`, for a service the server does not know (yet).
        public static let serviceUnknown = ServingStatus(rawValue: 3)

        public var description: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .serving: "SERVING"
            case .notServing: "NOT_SERVING"
            case .serviceUnknown: "SERVICE_UNKNOWN"
            default: "ServingStatus(\(rawValue))"
            }
        }
    }

    public var status: ServingStatus

    public init(status: ServingStatus = .unknown) { self.status = status }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Health__V1__HealthCheckResponse> {
        .init(
            initialize: grpc__health__v1__health_check_response__init,
            packedSize: grpc__health__v1__health_check_response__get_packed_size,
            pack: grpc__health__v1__health_check_response__pack,
            unpack: grpc__health__v1__health_check_response__unpack,
            freeUnpacked: grpc__health__v1__health_check_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Health__V1__HealthCheckResponse>) {
        status = ServingStatus(rawValue: Int32(bitPattern: cMessage.pointee.status.rawValue))
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Health__V1__HealthCheckResponse>) -> R) -> R {
        Self.withDefaultCMessage { c in
            c.pointee.status = .init(rawValue: UInt32(bitPattern: status.rawValue))
            return body(c)
        }
    }
}
