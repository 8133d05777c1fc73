import GRPCTransport
import HTTP2
import Posix
import RPC
import Synchronization
import Testing

/// What one client can make the server hold or do, and the outcome past each bound: admission
/// before buffering, off-loop unary calls, buffered request bytes, request time, queued
/// responses, non-gRPC requests, deadlines and compression on request.
@Suite(.serialized) struct ServerBoundsTests {
    // MARK: Admission

    @Test func admissionRefusesAtHeadersBeforeAnyBody() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        // HEADERS only: the refusal must come without the client sending a byte of its body.
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Admitted"), end: false)
        #expect(try await client.wait(seconds: 10) { $0.response(stream).grpcStatus != nil })
        let refused = client.response(stream)
        #expect(refused.grpcStatus == Status.Code.unauthenticated.rawValue)
        #expect(refused.grpcMessage == "missing or wrong x-key")
        #expect(server.probe.admittedCalls.load(ordering: .relaxed) == 0)
        // A body sent anyway is discarded; the connection keeps serving.
        client.session.sendData(stream: stream, bytes: RawClient.frame([UInt8](repeating: 7, count: 60_000)), endStream: true)
        try client.flush()
        let admitted = try await client.unary(
            path: "/test.Echo/Admitted", message: [1, 2, 3], extra: [HeaderField("x-key", "open-sesame")])
        #expect(admitted.grpcStatus == 0)
        #expect(admitted.messages.first?.payload == [1, 2, 3])
        #expect(server.probe.admissions.load(ordering: .relaxed) == 2)
    }

    @Test func refusedStreamWindowIsNotReopened() async throws {
        // The client sends a whole initial window (64 KiB here) on a refused stream: the server must
        // not hand that stream more window, so the client's next DATA on it cannot be sent.
        let server = try TestServer { $0.initialWindowSize = 65_535 }
        let client = try RawClient(port: server.port)
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Admitted"), end: false)
        try await client.wait(seconds: 5) { $0.response(stream).grpcStatus != nil }
        let windowAfterRefusal = client.session.remoteWindowSize(stream: stream)
        client.session.sendData(stream: stream, bytes: [UInt8](repeating: 1, count: 65_535), endStream: false)
        try client.flush()
        _ = try await client.wait(seconds: 0.5) { _ in false }
        #expect(client.session.remoteWindowSize(stream: stream) ?? 0 <= max(windowAfterRefusal ?? 0, 0))
    }

    // MARK: Off-loop unary calls

    @Test func unaryHandlerRunsOffTheLoopWhenItAsks() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let response = try await client.unary(path: "/test.Echo/Offload", message: [9])
        #expect(response.grpcStatus == 0)
        #expect(response.messages.first?.payload == Array("off-loop:".utf8) + [9])
        #expect(server.probe.onLoopRuns.load(ordering: .relaxed) == 1)
        #expect(server.probe.offLoopRuns.load(ordering: .relaxed) == 1)
    }

    @Test func offLoopCallsDoNotStallTheLoop() async throws {
        let server = try TestServer()
        let slow = try RawClient(port: server.port)
        let slowStream = try slow.start(
            RawClient.headers(path: "/test.Echo/Offload", extra: [HeaderField("x-sleep-ms", "1500")]),
            body: RawClient.frame([1]))
        // While the slow call sleeps off the loop, the same loop answers another client at once.
        let fast = try RawClient(port: server.port)
        let start = ContinuousClock.now
        let echoed = try await fast.unary(path: "/test.Echo/Unary", message: [2])
        #expect(echoed.grpcStatus == 0)
        #expect(ContinuousClock.now - start < .milliseconds(1000))
        #expect(try await slow.wait(seconds: 10) { $0.isClosed(slowStream) })
        #expect(slow.response(slowStream).grpcStatus == 0)
    }

    @Test func offLoopCallsAreBounded() async throws {
        let server = try TestServer { $0.maxOffloadedCalls = 1 }
        let client = try RawClient(port: server.port)
        let first = try client.start(
            RawClient.headers(path: "/test.Echo/Offload", extra: [HeaderField("x-sleep-ms", "1000")]),
            body: RawClient.frame([1]))
        _ = try await client.wait(seconds: 5) { _ in server.probe.offLoopRuns.load(ordering: .relaxed) == 1 }
        let second = try client.start(RawClient.headers(path: "/test.Echo/Offload"), body: RawClient.frame([2]))
        #expect(try await client.wait(seconds: 10) { $0.isClosed(first) && $0.isClosed(second) })
        #expect(client.response(first).grpcStatus == 0)
        let refused = client.response(second)
        #expect(refused.grpcStatus == Status.Code.unavailable.rawValue)
        #expect(refused.trailer("grpc-retry-pushback-ms") != nil)
    }

    // MARK: Buffered request bytes

    @Test func bufferedRequestBytesPerConnectionAreBounded() async throws {
        let server = try TestServer {
            $0.maxReceiveMessageSize = 1 << 20
            $0.maxBufferedRequestBytesPerConnection = 100_000
        }
        let client = try RawClient(port: server.port)
        // Two unfinished 1 MiB messages: 60 KB of each arrives; the second goes over 100 KB.
        let partial = Array(RawClient.frame([UInt8](repeating: 3, count: 1 << 20)).prefix(60_000))
        let first = try client.start(RawClient.headers(path: "/test.Echo/Unary"), body: partial, end: false)
        let second = try client.start(RawClient.headers(path: "/test.Echo/Unary"), body: partial, end: false)
        #expect(try await client.wait(seconds: 10) { $0.isClosed(second) })
        let refused = client.response(second)
        #expect(refused.grpcStatus == Status.Code.resourceExhausted.rawValue)
        #expect(refused.grpcMessage?.contains("max_buffered_request_bytes_per_connection") == true)
        #expect(!client.isClosed(first))
        // The first one's bytes were counted, not lost: it completes.
        let rest = Array(RawClient.frame([UInt8](repeating: 3, count: 1 << 20)).dropFirst(60_000))
        client.session.sendData(stream: first, bytes: rest, endStream: true)
        try client.flush()
        #expect(try await client.wait(seconds: 20) { $0.isClosed(first) })
        #expect(client.response(first).grpcStatus == Status.Code.resourceExhausted.rawValue)  // 1 MiB + more is over 100 KB
    }

    @Test func bufferedRequestBytesOfTheServerAreBounded() async throws {
        let server = try TestServer {
            $0.maxReceiveMessageSize = 1 << 20
            $0.maxBufferedRequestBytesPerConnection = 1 << 20
            $0.maxBufferedRequestBytes = 100_000
        }
        let partial = Array(RawClient.frame([UInt8](repeating: 3, count: 1 << 20)).prefix(60_000))
        let a = try RawClient(port: server.port)
        let b = try RawClient(port: server.port)
        let held = try a.start(RawClient.headers(path: "/test.Echo/Unary"), body: partial, end: false)
        _ = try await a.wait(seconds: 1) { _ in false }
        let over = try b.start(RawClient.headers(path: "/test.Echo/Unary"), body: partial, end: false)
        #expect(try await b.wait(seconds: 10) { $0.isClosed(over) })
        #expect(b.response(over).grpcStatus == Status.Code.resourceExhausted.rawValue)
        #expect(b.response(over).grpcMessage?.contains("server.max_buffered_request_bytes") == true)
        #expect(!a.isClosed(held))
        // Once the held stream is gone, its bytes are released: b is served again.
        a.session.resetStream(held, errorCode: HTTP2ErrorCode.cancel)
        try a.flush()
        _ = try await a.wait(seconds: 0.5) { _ in false }
        #expect(try await b.unary(path: "/test.Echo/Unary", message: [UInt8](repeating: 1, count: 90_000)).grpcStatus == 0)
    }

    // MARK: Time

    @Test func requestThatNeverEndsTimesOut() async throws {
        let server = try TestServer { $0.requestTimeout = .milliseconds(300) }
        let client = try RawClient(port: server.port)
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Unary"), body: [0, 0, 0], end: false)
        #expect(try await client.wait(seconds: 10) { $0.isClosed(stream) })
        let response = client.response(stream)
        #expect(response.grpcStatus == Status.Code.deadlineExceeded.rawValue)
        #expect(response.grpcMessage?.contains("request_timeout_seconds") == true)
    }

    @Test func zeroTimeoutIsDeadlineExceeded() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let response = try await client.unary(
            path: "/test.Echo/Unary", message: [1], extra: [HeaderField("grpc-timeout", "0n")])
        #expect(response.grpcStatus == Status.Code.deadlineExceeded.rawValue)
    }

    // MARK: Queued responses

    @Test func readerThatStopsReadingIsCutOff() async throws {
        let server = try TestServer { $0.responseStallTimeout = .milliseconds(400) }
        let client = try RawClient(port: server.port)
        client.autoConsume = false
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Flood"), body: RawClient.frame([]))
        #expect(try await client.wait(seconds: 15) { $0.isClosed(stream) })
        #expect(client.response(stream).resetCode == HTTP2ErrorCode.enhanceYourCalm)
        #expect(try await eventually { server.probe.cancelled.load(ordering: .relaxed) == 1 })  // the writer was failed, not left waiting  // the writer was failed, not left waiting
        #expect(server.probe.floodSent.load(ordering: .relaxed) < 40)
    }

    @Test func queuedResponsesPerConnectionAreBounded() async throws {
        // Four flooding streams on one connection that reads nothing: each may queue 256 KiB, but
        // together no more than the connection's 256 KiB, beyond the client's windows.
        let server = try TestServer { $0.maxQueuedResponseBytesPerConnection = 256 << 10 }
        var settings = HTTP2Settings()
        settings.initialWindowSize = 65_535
        let client = try RawClient(port: server.port, settings: settings)
        client.autoConsume = false
        for _ in 0..<4 { _ = try client.start(RawClient.headers(path: "/test.Echo/Flood"), body: RawClient.frame([])) }
        _ = try await client.wait { _ in server.probe.floodSent.load(ordering: .relaxed) >= 4 }
        var sent = server.probe.floodSent.load(ordering: .relaxed)
        for _ in 0..<50 {
            _ = try await client.wait(seconds: 0.3) { _ in false }
            let now = server.probe.floodSent.load(ordering: .relaxed)
            if now == sent { break }
            sent = now
        }
        // 4 x 64 KiB in the client's windows + 256 KiB queued + one chunk per stream past the mark.
        #expect(sent <= 4 + 4 + 4)
    }

    // MARK: Non-gRPC requests

    @Test func nonGRPCRequestIsAnsweredAfterItsBodyWithAnHTTPStatusAndText() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let stream = try client.start(
            RawClient.headers(path: "/x", contentType: "text/plain"), body: Array("hello".utf8), end: false)
        _ = try await client.wait(seconds: 0.5) { _ in false }
        #expect(client.response(stream).headers == nil)  // nothing before the request is complete
        client.session.sendData(stream: stream, bytes: Array(" world".utf8), endStream: true)
        try client.flush()
        #expect(try await client.wait(seconds: 10) { $0.isClosed(stream) })
        let response = client.response(stream)
        #expect(response.httpStatus == "415")
        #expect(response.header("content-type")?.hasPrefix("text/plain") == true)
        #expect(String(decoding: response.body, as: UTF8.self).contains("gRPC"))
        #expect(response.resetCode == HTTP2ErrorCode.noError)

        let get = try client.start(RawClient.headers(path: "/", method: "GET", contentType: nil, te: nil), end: true)
        #expect(try await client.wait(seconds: 10) { $0.isClosed(get) })
        #expect(client.response(get).httpStatus == "405")
        #expect(!client.response(get).body.isEmpty)
    }

    // MARK: Compression on request

    @Test func compressesWhenAskedAndTheClientSaysNothing() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let message = [UInt8](repeating: 65, count: 1000)
        let silent = try await client.unary(path: "/test.Echo/Unary", message: message, extra: [HeaderField("x-compress", "yes")])
        #expect(silent.header("grpc-encoding") == "gzip")
        #expect(silent.messages.first?.compressed == true)
        let identityOnly = try await client.unary(
            path: "/test.Echo/Unary", message: message,
            extra: [HeaderField("x-compress", "yes"), HeaderField("grpc-accept-encoding", "identity")])
        #expect(identityOnly.header("grpc-encoding") == nil)
        #expect(identityOnly.messages.first?.compressed == false)
        #expect(identityOnly.messages.first?.payload == message)
    }
}
