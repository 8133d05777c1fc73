internal import Messages
public import RPC

/// `grpc.health.v1.Health` as grpc/grpc `doc/health-checking.md` defines it: `Check` answers
/// at once (NOT_FOUND for an unknown service), `Watch` streams the status and every change
/// (SERVICE_UNKNOWN while the service is unknown) until the client cancels, or until the
/// registry shuts down (then it ends with `UNAVAILABLE` after reporting NOT_SERVING).
public struct HealthService: RPCService {
    public static let serviceName = "grpc.health.v1.Health"

    private let registry: HealthStatusRegistry

    public init(registry: HealthStatusRegistry) {
        self.registry = registry
    }

    public func register(into router: inout Router) {
        let registry = registry
        router.register(
            MethodPath(service: Self.serviceName, method: "Check"),
            .unary { request, _ in try Self.check(request, registry: registry) })
        router.register(
            MethodPath(service: Self.serviceName, method: "Watch"),
            .streaming { call in try await Self.watch(call, registry: registry) })
    }

    static func check(_ requestBytes: [UInt8], registry: HealthStatusRegistry) throws -> [UInt8] {
        let request = try RequestChecks.decode(HealthCheckRequest.self, requestBytes)
        guard let status = registry.status(for: request.service) else {
            throw RPCError(.notFound, "unknown service '\(request.service)': this server reports no health status for it")
        }
        return HealthCheckResponse(status: servingStatus(status)).serializedBytes()
    }

    static func watch(_ call: StreamingCall, registry: HealthStatusRegistry) async throws -> Metadata {
        let request = try await RequestChecks.single(HealthCheckRequest.self, from: call.requests)
        for await status in registry.updates(for: request.service) {
            let response = HealthCheckResponse(status: status.map(servingStatus) ?? .serviceUnknown)
            try await call.responses.send(response.serializedBytes())
        }
        // Updates end when the client goes away (task cancelled) or the server shuts down.
        try Task.checkCancellation()
        throw RPCError(.unavailable, "the server is shutting down: health watch ended after reporting NOT_SERVING")
    }

    private static func servingStatus(_ status: HealthStatusRegistry.ServingStatus) -> HealthCheckResponse.ServingStatus {
        switch status {
        case .serving: .serving
        case .notServing: .notServing
        }
    }
}
