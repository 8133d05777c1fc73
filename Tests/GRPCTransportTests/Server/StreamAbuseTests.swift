@testable import GRPCTransport
import HTTP2
import RPC
import Synchronization
import Testing

/// Stream-level abuse that must cost the client its connection: stream ids out of order
/// (RFC 9113 §5.1.1) and rapid reset (CVE-2023-44487).
@Suite(.serialized) struct StreamAbuseTests {
    @Test func headersOnALowerStreamIdIsAConnectionError() async throws {
        let log = IncidentLog()
        let server = try TestServer { $0.onIncident = log.record }
        let client = try FrameClient(port: server.port)
        try client.send(RawFrames.headers(stream: 5, fields: RawClient.headers(path: "/test.Echo/Slow"), endStream: false))
        #expect(try await client.wait { _ in server.probe.started.load(ordering: .relaxed) == 1 })
        // Stream 3 was never opened, and is lower than 5: nghttp2 alone would ignore it.
        try client.send(RawFrames.headers(stream: 3, fields: RawClient.headers(path: "/test.Echo/Unary"), endStream: true))
        #expect(try await client.wait { $0.goAwayErrorCode != nil })
        #expect(client.goAwayErrorCode == HTTP2ErrorCode.protocolError)
        #expect(client.goAways.first?.lastStream == 5)
        #expect(!client.receivedHeaders(on: 3))
        #expect(try await client.wait(seconds: 10) { $0.closed })
        #expect(log.of(.protocolError).first?.detail.contains("RFC 9113 §5.1.1") == true)
        #expect(try await eventually { server.probe.cancelled.load(ordering: .relaxed) == 1 })
    }

    @Test func trailersOnALowerStreamThatIsStillOpenAreFine() async throws {
        let server = try TestServer()
        let client = try FrameClient(port: server.port)
        try client.send(RawFrames.headers(stream: 1, fields: RawClient.headers(path: "/test.Echo/Stream"), endStream: false))
        try client.send(RawFrames.headers(stream: 3, fields: RawClient.headers(path: "/test.Echo/Stream"), endStream: false))
        // Request trailers (END_STREAM) on stream 1, after stream 3 was opened.
        try client.send(RawFrames.headers(stream: 1, fields: [HeaderField("x-trailer", "1")], endStream: true))
        #expect(try await client.wait { $0.receivedHeaders(on: 1) })
        #expect(client.goAwayErrorCode == nil)
        #expect(!client.closed)
    }

    /// 10,000 streams opened and reset at once: the server cuts the connection with GOAWAY
    /// ENHANCE_YOUR_CALM once the client has reset more than StreamResetBudget.burst (1,000)
    /// streams before their response, so it never starts more than about that many handlers.
    @Test func rapidResetIsCutOffWithEnhanceYourCalm() async throws {
        let log = IncidentLog()
        let server = try TestServer { $0.onIncident = log.record }
        let client = try FrameClient(port: server.port)
        let fields = RawClient.headers(path: "/test.Echo/Slow")
        var sent = 0
        var stream: Int32 = 1
        while sent < 10_000 && !client.closed {
            var batch: [UInt8] = []
            for _ in 0..<250 {
                batch += RawFrames.headers(stream: stream, fields: fields, endStream: false)
                batch += RawFrames.rstStream(stream: stream, errorCode: HTTP2ErrorCode.cancel)
                stream += 2
            }
            try client.send(batch)
            sent += 250
            client.pump()
        }
        #expect(try await client.wait(seconds: 10) { $0.closed })
        // The GOAWAY is sent, but a client still writing when the server closes may get a TCP
        // reset that discards it before it is read: when it arrives, it says why.
        if let code = client.goAwayErrorCode { #expect(code == HTTP2ErrorCode.enhanceYourCalm) }
        #expect(sent < 10_000)
        try await Task.sleep(for: .milliseconds(200))  // handlers already started may still be running
        let started = server.probe.started.load(ordering: .relaxed)
        #expect(started <= StreamResetBudget.burst + 300, "the server started \(started) handlers")
        #expect(log.of(.limitExceeded).first?.detail.contains("rapid reset") == true)
        // Other connections are served.
        let other = try RawClient(port: server.port)
        #expect(try await other.unary(path: "/test.Echo/Unary", message: [1]).grpcStatus == 0)
    }

    /// Cancelling is normal: 500 streams reset at once (half the burst) keep the connection.
    @Test func resetsUnderTheBudgetKeepTheConnection() async throws {
        let server = try TestServer()
        let client = try FrameClient(port: server.port)
        let fields = RawClient.headers(path: "/test.Echo/Slow")
        var batch: [UInt8] = []
        for index in 0..<500 {
            let stream = Int32(2 * index + 1)
            batch += RawFrames.headers(stream: stream, fields: fields, endStream: false)
            batch += RawFrames.rstStream(stream: stream, errorCode: HTTP2ErrorCode.cancel)
        }
        try client.send(batch)
        try client.send(RawFrames.headers(stream: 1001, fields: RawClient.headers(path: "/test.Echo/Unary"), endStream: true))
        #expect(try await client.wait { $0.receivedHeaders(on: 1001) })
        #expect(client.goAwayErrorCode == nil)
        #expect(!client.closed)
    }

    @Test func resetBudgetRefills() {
        var budget = StreamResetBudget(now: 0)
        var spent = 0
        while budget.spend(now: 0) { spent += 1 }
        #expect(spent == StreamResetBudget.burst)
        // 100 a second: one token every 10 ms.
        let early = budget.spend(now: 9_000_000)
        let onTime = budget.spend(now: 10_000_000)
        let again = budget.spend(now: 10_000_000)
        #expect(!early && onTime && !again)
        // Never more than the burst, however long it was quiet.
        spent = 0
        while budget.spend(now: 3_600_000_000_000) { spent += 1 }
        #expect(spent == StreamResetBudget.burst)
    }
}
