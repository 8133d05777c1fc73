@testable import GRPCTransport
import HTTP2
import RPC
import Testing

/// `maxConnections` (all loops together) and `maxConnectionsPerPeer` (per client IP), enforced
/// at accept: an h2c connection over a bound gets GOAWAY ENHANCE_YOUR_CALM and is closed.
@Suite(.serialized) struct ConnectionLimitTests {
    /// A client whose connection the server accepted and served (one call answered).
    private func servedClient(port: Int) async throws -> RawClient {
        let client = try RawClient(port: port)
        let response = try await client.unary(path: "/test.Echo/Unary", message: [7])
        #expect(response.grpcStatus == 0)
        return client
    }

    private func expectRefused(port: Int) async throws {
        let client = try RawClient(port: port)
        #expect(try await client.wait(seconds: 10) { $0.connectionClosed })
        #expect(client.goAwayErrorCodes == [HTTP2ErrorCode.enhanceYourCalm])
    }

    @Test func connectionsOverThePerPeerLimitAreRefusedUntilOneCloses() async throws {
        let log = IncidentLog()
        let server = try TestServer {
            $0.maxConnectionsPerPeer = 2
            $0.onIncident = log.record
        }
        var first: RawClient? = try await servedClient(port: server.port)
        let second = try await servedClient(port: server.port)
        try await expectRefused(port: server.port)
        let refusals = log.of(.connectionRefused)
        #expect(refusals.count == 1)
        #expect(refusals.first?.detail.contains("2 connections from 127.0.0.1 are already open (max_connections_per_peer)") == true)
        #expect(refusals.first?.peer.hasPrefix("127.0.0.1:") == true)

        // Closing one makes room again (the count goes down when the server sees the close).
        #expect(first?.connectionClosed == false)
        first = nil  // its deinit closes the socket
        try await Task.sleep(for: .milliseconds(100))
        var third: RawClient? = nil
        for _ in 0..<50 where third == nil {
            let candidate = try RawClient(port: server.port)
            let response = try await candidate.unary(path: "/test.Echo/Unary", message: [8])
            if response.grpcStatus == 0 { third = candidate } else { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(third != nil)
        #expect(!second.connectionClosed)
    }

    @Test func connectionsOverTheServerLimitAreRefusedOnEveryLoop() async throws {
        let log = IncidentLog()
        let server = try TestServer {
            $0.threads = 4  // SO_REUSEPORT spreads the connections; the bound is for all loops
            $0.maxConnections = 3
            $0.onIncident = log.record
        }
        var clients: [RawClient] = []
        for _ in 0..<3 { clients.append(try await servedClient(port: server.port)) }
        for _ in 0..<4 { try await expectRefused(port: server.port) }
        #expect(log.of(.connectionRefused).count == 4)
        #expect(log.of(.connectionRefused).allSatisfy { $0.detail.contains("(max_connections)") })
        // The three accepted connections still serve.
        for client in clients {
            let response = try await client.unary(path: "/test.Echo/Unary", message: [9])
            #expect(response.grpcStatus == 0)
        }
    }

    @Test func peerAddressDropsThePort() {
        #expect(ConnectionLimits.address(ofPeer: "127.0.0.1:50123") == "127.0.0.1")
        #expect(ConnectionLimits.address(ofPeer: "[::1]:50123") == "::1")
        #expect(ConnectionLimits.address(ofPeer: "[fe80::1%eth0]:443") == "fe80::1%eth0")
        #expect(ConnectionLimits.address(ofPeer: "unknown") == "unknown")
    }

    @Test func limitsCountAndRelease() {
        let limits = ConnectionLimits(maxConnections: 3, maxConnectionsPerPeer: 2)
        #expect(limits.admit("a") == nil)
        #expect(limits.admit("a") == nil)
        #expect(limits.admit("a") == .peer)
        #expect(limits.admit("b") == nil)
        #expect(limits.admit("c") == .server)
        #expect(limits.openConnections == 3)
        limits.release("a")
        #expect(limits.admit("c") == nil)
        #expect(limits.admit("a") == .server)
        #expect(limits.openConnections == 3)
    }
}

extension RawClient {
    /// The error codes of the GOAWAY frames received, in order.
    var goAwayErrorCodes: [UInt32] {
        events.compactMap { if case .goAway(_, let code) = $0 { return code } else { return nil } }
    }
}
