import Posix
import RPC
import Testing

@testable import GRPCTransport

/// Channel behaviour that needs no server (the end-to-end suite covers the rest).
struct GRPCChannelTests {
    @Test func deadlinesFromTimeouts() throws {
        #expect(monotonicDeadline(after: nil) == nil)
        let before = monotonicNanoseconds()
        let deadline = try #require(monotonicDeadline(after: .milliseconds(1500)))
        #expect(deadline >= before + 1_500_000_000)
        // Zero or negative: already due.
        #expect(try #require(monotonicDeadline(after: .zero)) <= monotonicNanoseconds())
        #expect(try #require(monotonicDeadline(after: .seconds(-5))) <= monotonicNanoseconds())
        // Enormous: no overflow, and far in the future.
        #expect(try #require(monotonicDeadline(after: .seconds(Int64.max))) > before + 1_000_000_000_000_000)
    }

    @Test func unreadableCAFileFailsAtCreation() {
        let configuration = ChannelConfiguration(
            host: "127.0.0.1", port: 1, tls: ClientTLSConfiguration(caFile: "/nonexistent/ca.pem"))
        #expect(throws: (any Error).self) { try GRPCChannel(configuration: configuration) }
    }

    @Test func closedChannelFailsCallsAtOnce() async throws {
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: 1))
        channel.close()
        let error = await #expect(throws: RPCError.self) {
            try await channel.unary(path: "/a.B/C", request: [])
        }
        #expect(error?.code == .unavailable)
        let call = channel.makeCall(path: "/a.B/C")
        #expect(await call.status.code == .unavailable)
        await #expect(throws: RPCError.self) { try await call.send([1]) }
    }
}
