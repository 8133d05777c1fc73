import ArgumentParser
import GRPCTransport
import InteropService
import Messages
import RPC
import Testing

@testable import intentctl

/// `intentctl health` against our server with the health service.
struct HealthCommandTests {
    private func router(_ registry: HealthStatusRegistry) -> Router {
        var router = Router()
        router.register(HealthService(registry: registry))
        return router
    }

    @Test func reportsServingAndNotServing() async throws {
        let registry = HealthStatusRegistry()
        registry.setStatus(.serving, for: "a.Service")
        registry.setStatus(.notServing, for: "b.Service")
        try await withServer(.h2c, router: router(registry)) { _, channel in
            func check(_ service: String) async throws -> HealthCheckResponse.ServingStatus {
                try await HealthCommand.check(channel: channel, service: service, timeout: .seconds(10))
            }
            let whole = try await check("")
            let a = try await check("a.Service")
            let b = try await check("b.Service")
            #expect(whole == .serving)
            #expect(a == .serving)
            #expect(b == .notServing)
            let error = await #expect(throws: RPCError.self) {
                try await HealthCommand.check(channel: channel, service: "nope", timeout: .seconds(10))
            }
            #expect(error?.code == .notFound)
        }
    }

    @Test func commandExitsWithFailureUnlessServing() async throws {
        let registry = HealthStatusRegistry()
        registry.setStatus(.notServing, for: "b.Service")
        try await withServer(.h2c, router: router(registry)) { server, _ in
            let serving = try #require(
                try IntentCtl.parseAsRoot(["health", "--server_port", "\(server.port)"]) as? HealthCommand)
            try await serving.run()
            let notServing = try #require(
                try IntentCtl.parseAsRoot(["health", "--server_port", "\(server.port)", "--service", "b.Service"]) as? HealthCommand)
            await #expect(throws: ExitCode.failure) { try await notServing.run() }
        }
    }
}
