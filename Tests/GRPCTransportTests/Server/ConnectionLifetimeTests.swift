import GRPCTransport
import HTTP2
import RPC
import Synchronization
import Testing

/// Keepalive PINGs and the maximum connection age: no connection lives forever, whether or not
/// it has streams open.
@Suite(.serialized) struct ConnectionLifetimeTests {
    @Test func silentPeerWithAnOpenStreamIsClosedByKeepalive() async throws {
        let log = IncidentLog()
        let server = try TestServer {
            $0.keepaliveTime = .milliseconds(1000)
            $0.keepaliveTimeout = .milliseconds(1000)
            $0.onIncident = log.record
        }
        let client = try RawClient(port: server.port)
        let started = ContinuousClock.now
        _ = try client.start(RawClient.headers(path: "/test.Echo/Slow"), end: false)
        client.silent = true  // from now on it reads, but never answers the server's PING
        #expect(try await eventually { server.probe.started.load(ordering: .relaxed) == 1 })
        #expect(try await client.wait(seconds: 10) { $0.connectionClosed })
        #expect(client.receivedGoAway)
        // Server-side time: a PING after 1 s of silence, the close 1 s after it.
        if let closedAt = log.firstTime(of: .timeout) { #expect(closedAt - started >= .milliseconds(2000)) }
        #expect(try await eventually { server.probe.cancelled.load(ordering: .relaxed) == 1 })
        let timeouts = log.of(.timeout)
        #expect(timeouts.count == 1)
        #expect(timeouts.first?.detail.contains("keepalive_timeout") == true)
    }

    @Test func peerThatAnswersPingsStaysConnected() async throws {
        let server = try TestServer {
            $0.keepaliveTime = .milliseconds(100)
            $0.keepaliveTimeout = .milliseconds(400)
        }
        // Our channel answers PINGs from its own loop thread (a RawClient pumped by this task could
        // be starved by the other suites of a parallel run and miss the timeout).
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: server.port))
        defer { channel.close() }
        let slow = channel.makeCall(path: "/test.Echo/Slow")
        #expect(try await eventually { server.probe.started.load(ordering: .relaxed) == 1 })
        // Many keepalive rounds, each PING answered with an ACK: the call and the connection live on.
        try await Task.sleep(for: .milliseconds(2000))
        #expect(server.probe.cancelled.load(ordering: .relaxed) == 0)
        let reply = try await channel.unary(path: "/test.Echo/Unary", request: [1])
        #expect(reply.message == [1])
        slow.cancel()
    }

    @Test func oldConnectionGetsAGracefulGoAwayThenItsCallsAreCancelled() async throws {
        let log = IncidentLog()
        let server = try TestServer {
            $0.maxConnectionAge = .seconds(1)
            $0.maxConnectionAgeGrace = .milliseconds(3000)  // long enough to see the call still served, even run late
            $0.onIncident = log.record
        }
        let client = try RawClient(port: server.port)
        let opened = ContinuousClock.now
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Slow"), end: false)
        #expect(try await client.wait(seconds: 10) { $0.receivedGoAway })
        // The shutdown notice first (last stream 2^31-1), then the final GOAWAY naming our stream.
        #expect(try await client.wait(seconds: 10) { $0.goAwayLastStreams.count >= 2 })
        #expect(client.goAwayLastStreams.prefix(2) == [Int32.max, stream])
        #expect(!client.isClosed(stream))  // still served during the grace period
        // After the grace period the call is cancelled with UNAVAILABLE and the connection closed.
        #expect(try await client.wait(seconds: 10) { $0.isClosed(stream) })
        #expect(client.response(stream).grpcStatus == Status.Code.unavailable.rawValue)
        #expect(try await client.wait(seconds: 10) { $0.connectionClosed })
        #expect(log.of(.timeout).first?.detail.contains("max_connection_age_grace") == true)
        // Server-side time: the GOAWAY came no earlier than the age less its 10 % jitter, and the
        // grace ran in full after it (so 0.9 s + 3 s at the least).
        if let cut = log.firstTime(of: .timeout) { #expect(cut - opened >= .milliseconds(3900)) }
    }

    @Test func oldIdleConnectionIsClosedAfterItsGoAway() async throws {
        let server = try TestServer { $0.maxConnectionAge = .seconds(1) }
        // Raw frames: our client session stops reading once it has a GOAWAY and no stream open,
        // and would not see the final GOAWAY.
        let client = try FrameClient(port: server.port)
        try client.send(RawFrames.headers(stream: 1, fields: RawClient.headers(path: "/test.Echo/Unary"), endStream: true))
        #expect(try await client.wait { $0.receivedHeaders(on: 1) })
        #expect(try await client.wait(seconds: 10) { $0.closed })
        #expect(client.goAways.map(\.lastStream) == [Int32.max, 1])
        #expect(client.goAways.map(\.errorCode) == [HTTP2ErrorCode.noError, HTTP2ErrorCode.noError])
    }
}

extension RawClient {
    /// The last-stream ids of the GOAWAY frames received, in order.
    var goAwayLastStreams: [Int32] {
        events.compactMap { if case .goAway(let last, _) = $0 { return last } else { return nil } }
    }
}
