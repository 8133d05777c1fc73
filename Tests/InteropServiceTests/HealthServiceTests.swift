@testable import InteropService
import Messages
import RPC
import Testing

@Suite struct HealthServiceTests {
    static let check = "/grpc.health.v1.Health/Check"
    static let watch = "/grpc.health.v1.Health/Watch"

    static func checkStatus(_ harness: Harness, _ service: String) throws -> HealthCheckResponse.ServingStatus {
        let (bytes, _) = try harness.callUnary(check, HealthCheckRequest(service: service).serializedBytes())
        return try HealthCheckResponse(serializedBytes: bytes).status
    }

    @Test func checkReportsTheServerAndKnownServices() throws {
        let registry = HealthStatusRegistry()
        let harness = Harness(registry: registry)
        #expect(try Self.checkStatus(harness, "") == .serving)
        registry.setStatus(.notServing, for: "grpc.testing.TestService")
        #expect(try Self.checkStatus(harness, "grpc.testing.TestService") == .notServing)
        registry.setStatus(.serving, for: "grpc.testing.TestService")
        #expect(try Self.checkStatus(harness, "grpc.testing.TestService") == .serving)
    }

    @Test func checkUnknownServiceIsNotFound() async {
        let harness = Harness()
        let error = await expectRPCError(.notFound) { _ = try Self.checkStatus(harness, "no.such.Service") }
        #expect(error?.message.contains("no.such.Service") == true)
    }

    @Test func checkRejectsGarbage() async {
        await expectRPCError(.invalidArgument) { _ = try Harness().callUnary(Self.check, [0x0a, 0x03, 0x61]) }
    }

    @Test func shutdownMakesEverythingNotServing() throws {
        let registry = HealthStatusRegistry()
        let harness = Harness(registry: registry)
        registry.setStatus(.serving, for: "a")
        registry.shutdown()
        registry.setStatus(.serving, for: "a")  // ignored after shutdown
        #expect(try Self.checkStatus(harness, "") == .notServing)
        #expect(try Self.checkStatus(harness, "a") == .notServing)
    }

    @Test func watchSendsCurrentStatusThenEachChangeUntilCancelled() async throws {
        let registry = HealthStatusRegistry()
        let harness = Harness(registry: registry)
        let (source, writer, task) = try harness.start(Self.watch)
        source.yield(ReceivedMessage(bytes: HealthCheckRequest(service: "svc").serializedBytes()))
        source.finish()

        var events = writer.events.makeAsyncIterator()
        func next() async throws -> HealthCheckResponse.ServingStatus? {
            guard case .message(let bytes, _) = await events.next() else { return nil }
            return try HealthCheckResponse(serializedBytes: bytes).status
        }
        #expect(try await next() == .serviceUnknown)
        registry.setStatus(.serving, for: "svc")
        #expect(try await next() == .serving)
        registry.setStatus(.serving, for: "svc")  // no change: nothing sent
        registry.setStatus(.notServing, for: "svc")
        #expect(try await next() == .notServing)
        registry.clearStatus(for: "svc")
        #expect(try await next() == .serviceUnknown)
        registry.setStatus(.serving, for: "other")  // another service: nothing sent
        registry.setStatus(.serving, for: "svc")
        #expect(try await next() == .serving)

        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(writer.messages.count == 5)
        #expect(registry.watcherCount == 0)
    }

    @Test func shutdownEndsWatchesOfUnknownServicesToo() async throws {
        let registry = HealthStatusRegistry()
        let harness = Harness(registry: registry)
        let (source, writer, task) = try harness.start(Self.watch)
        source.yield(ReceivedMessage(bytes: HealthCheckRequest(service: "svc").serializedBytes()))
        var events = writer.events.makeAsyncIterator()
        _ = await events.next()
        registry.shutdown()  // "svc" is unknown and stays unknown, but the watch still ends
        await expectRPCError(.unavailable) { _ = try await task.value }
        #expect(writer.messages.count == 1)
        #expect(registry.watcherCount == 0)

        // A watch that starts after shutdown reports the status and ends at once.
        await expectRPCError(.unavailable) {
            _ = try await harness.callStreaming(Self.watch, [ReceivedMessage(bytes: [])])
        }
    }

    @Test func watchOfTheServerSeesShutdown() async throws {
        let registry = HealthStatusRegistry()
        let harness = Harness(registry: registry)
        let (source, writer, task) = try harness.start(Self.watch)
        source.yield(ReceivedMessage(bytes: []))  // service "" = the whole server
        var events = writer.events.makeAsyncIterator()
        #expect(await events.next() == .message(HealthCheckResponse(status: .serving).serializedBytes(), compressed: false))
        registry.shutdown()
        #expect(await events.next() == .message(HealthCheckResponse(status: .notServing).serializedBytes(), compressed: false))
        let error = await expectRPCError(.unavailable) { _ = try await task.value }
        #expect(error?.message.contains("shutting down") == true)
        #expect(registry.watcherCount == 0)
    }

    @Test func watchWithoutARequestIsInvalidArgument() async {
        await expectRPCError(.invalidArgument) { _ = try await Harness().callStreaming(Self.watch, []) }
    }
}
