internal import Messages
public import RPC

/// `grpc.testing.TestService`, the standard interop service, as grpc/grpc
/// `doc/interop-test-descriptions.md` ("Server") describes it.
///
/// `EmptyCall`, `UnaryCall` and `CacheableUnaryCall` are synchronous (`.unary`, run inline on
/// the event loop); the streaming methods run in tasks. `UnimplementedCall` is deliberately not
/// registered, so the router answers it `UNIMPLEMENTED` like any method a server lacks.
public struct TestService: RPCService {
    public static let serviceName = "grpc.testing.TestService"

    /// The largest payload a client may ask for in one response (`response_size`,
    /// `ResponseParameters.size`): bigger requests fail with `INVALID_ARGUMENT` rather than
    /// make the server allocate gigabytes.
    public static let maxResponsePayloadSize = 16 << 20

    public init() {}

    public func register(into router: inout Router) {
        func method(_ name: String) -> MethodPath { MethodPath(service: Self.serviceName, method: name) }
        router.register(method("EmptyCall"), .unary(Self.emptyCall))
        router.register(method("UnaryCall"), .unary(Self.unaryCall))
        router.register(method("CacheableUnaryCall"), .unary(Self.cacheableUnaryCall))
        router.register(method("StreamingOutputCall"), .streaming(Self.streamingOutputCall))
        router.register(method("StreamingInputCall"), .streaming(Self.streamingInputCall))
        router.register(method("FullDuplexCall"), .streaming(Self.fullDuplexCall))
        router.register(method("HalfDuplexCall"), .streaming(Self.halfDuplexCall))
    }
}
