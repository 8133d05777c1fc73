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
            $0.keepaliveTime = .milliseconds(200)
            $0.keepaliveTimeout = .milliseconds(300)
            $0.onIncident = log.record
        }
        let client = try RawClient(port: server.port)
        client.silent = true  // reads, but never answers the server's PING
        let opened = ContinuousClock.now
        _ = try client.start(RawClient.headers(path: "/test.Echo/Slow"), end: false)
        #expect(try await eventually { server.probe.started.load(ordering: .relaxed) == 1 })
        #expect(try await client.wait(seconds: 10) { $0.connectionClosed })
        // Never before keepalive time + timeout (a client starved by a busy machine only sees it later).
        #expect(ContinuousClock.now - opened >= .milliseconds(500))
        #expect(client.receivedGoAway)
        #expect(try await eventually { server.probe.cancelled.load(ordering: .relaxed) == 1 })
        let timeouts = log.of(.timeout)
        #expect(timeouts.count == 1)
        #expect(timeouts.first?.detail.contains("keepalive_timeout") == true)
    }

    @Test func peerThatAnswersPingsStaysConnected() async throws {
        // A long timeout: the test task answers the PINGs only when it gets to run.
        let server = try TestServer {
            $0.keepaliveTime = .milliseconds(100)
            $0.keepaliveTimeout = .seconds(5)
        }
        let client = try RawClient(port: server.port)
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Slow"), end: false)
        // Several keepalive rounds; the session answers each PING with an ACK.
        #expect(try await client.wait(seconds: 1.5) { $0.connectionClosed } == false)
        #expect(!client.receivedGoAway)
        #expect(!client.isClosed(stream))
        let response = try await client.unary(path: "/test.Echo/Unary", message: [1])
        #expect(response.grpcStatus == 0)
    }

    @Test func oldConnectionGetsAGracefulGoAwayThenItsCallsAreCancelled() async throws {
        let log = IncidentLog()
        let server = try TestServer {
            $0.maxConnectionAge = .seconds(1)
            $0.maxConnectionAgeGrace = .milliseconds(1500)
            $0.onIncident = log.record
        }
        let client = try RawClient(port: server.port)
        let opened = ContinuousClock.now
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Slow"), end: false)
        // Not before the age minus the 10 % jitter: whenever this task reads before 0.85 s, there
        // is no GOAWAY yet (on a busy machine it may not get to read that early at all).
        while ContinuousClock.now - opened < .milliseconds(700) {
            try client.pump()
            if ContinuousClock.now - opened < .milliseconds(850) { #expect(!client.receivedGoAway) }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await client.wait(seconds: 10) { $0.receivedGoAway })
        #expect(ContinuousClock.now - opened >= .milliseconds(900))
        // The shutdown notice first (last stream 2^31-1), then the final GOAWAY naming our stream.
        #expect(try await client.wait(seconds: 10) { $0.goAwayLastStreams.count >= 2 })
        #expect(client.goAwayLastStreams.prefix(2) == [Int32.max, stream])
        if ContinuousClock.now - opened < .milliseconds(2200) {
            #expect(!client.isClosed(stream))  // still served during the grace period (ends ≥ 2.4 s)
        }
        // After the grace period the call is cancelled with UNAVAILABLE and the connection closed.
        #expect(try await client.wait(seconds: 10) { $0.isClosed(stream) })
        #expect(client.response(stream).grpcStatus == Status.Code.unavailable.rawValue)
        #expect(ContinuousClock.now - opened >= .milliseconds(2300))
        #expect(try await client.wait(seconds: 10) { $0.connectionClosed })
        #expect(log.of(.timeout).first?.detail.contains("max_connection_age_grace") == true)
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
