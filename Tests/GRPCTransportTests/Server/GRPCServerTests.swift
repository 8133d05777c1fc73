import GRPCTransport
import GZip
import HTTP2
import Posix
import RPC
import Synchronization
import Testing

@Suite(.serialized) struct GRPCServerTests {
    @Test func unaryEchoWithMetadata() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let response = try await client.unary(
            path: "/test.Echo/Unary", message: Array("hello".utf8),
            extra: [HeaderField("x-echo-text", "hi there"), HeaderField("x-echo-bin", Base64.encode([0, 1, 2, 255]))])
        #expect(response.httpStatus == "200")
        #expect(response.header("content-type") == "application/grpc")
        #expect(response.header("x-echo-text") == "hi there")
        #expect(response.trailer("x-echo-text") == "hi there")
        #expect(response.trailer("x-echo-bin").flatMap { Base64.decode($0) } == [0, 1, 2, 255])
        #expect(response.grpcStatus == 0)
        #expect(response.messages.map(\.payload) == [Array("hello".utf8)])
    }

    @Test func zeroLengthMessage() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let response = try await client.unary(path: "/test.Echo/Unary", message: [])
        #expect(response.grpcStatus == 0)
        #expect(response.body == [0, 0, 0, 0, 0])
    }

    @Test func messageSplitAcrossFrames() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let message = (0..<50_000).map { UInt8(truncatingIfNeeded: $0) }
        let framed = RawClient.frame(message)
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Unary"), body: Array(framed[0..<3]), end: false)
        for range in [3..<10, 10..<20_000, 20_000..<framed.count] {
            client.session.sendData(stream: stream, bytes: Array(framed[range]), endStream: range.upperBound == framed.count)
            try client.flush()
            try await Task.sleep(for: .milliseconds(5))
        }
        try await client.wait { $0.isClosed(stream) }
        let response = client.response(stream)
        #expect(response.grpcStatus == 0)
        #expect(response.messages.first?.payload == message)
    }

    @Test func severalMessagesInOneFrameOnAStream() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let body = RawClient.frame([1]) + RawClient.frame([]) + RawClient.frame([2, 3])
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Stream"), body: body)
        try await client.wait { $0.isClosed(stream) }
        let response = client.response(stream)
        #expect(response.grpcStatus == 0)
        #expect(response.trailer("x-done") == "yes")
        #expect(response.messages.map(\.payload) == [[1], [], [2, 3]])
    }

    @Test func gzipRequestAndCompressedResponse() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let message = [UInt8](repeating: 7, count: 4000)
        let compressed = try GZip.compress(message)
        let stream = try client.start(
            RawClient.headers(
                path: "/test.Echo/Unary",
                extra: [HeaderField("grpc-encoding", "gzip"), HeaderField("grpc-accept-encoding", "gzip"),
                    HeaderField("x-compress", "yes")]),
            body: RawClient.frame(compressed, compressed: true))
        try await client.wait { $0.isClosed(stream) }
        let response = client.response(stream)
        #expect(response.grpcStatus == 0)
        #expect(response.header("grpc-encoding") == "gzip")
        let reply = try #require(response.messages.first)
        #expect(reply.compressed)
        #expect(try GZip.decompress(reply.payload, limit: 1 << 20) == message)
    }

    @Test func handlerErrorBecomesTrailersOnlyStatus() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let response = try await client.unary(path: "/test.Echo/Fail", message: [1])
        #expect(response.httpStatus == "200")
        #expect(response.grpcStatus == Status.Code.invalidArgument.rawValue)
        #expect(response.grpcMessage == "bad input: 100% wrong ✗")
        #expect(response.trailer("x-why") == "because")
        #expect(response.body.isEmpty)
    }

    @Test func deadlineIsEnforcedOnASlowHandler() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let stream = try client.start(
            RawClient.headers(path: "/test.Echo/Slow", extra: [HeaderField("grpc-timeout", "200m")]), body: RawClient.frame([]))
        #expect(try await client.wait { $0.isClosed(stream) })
        #expect(client.response(stream).grpcStatus == Status.Code.deadlineExceeded.rawValue)
        #expect(try await client.wait { _ in server.probe.cancelled.load(ordering: .relaxed) == 1 })
    }

    @Test func clientResetCancelsTheHandler() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Slow"), end: false)
        #expect(try await client.wait { _ in server.probe.started.load(ordering: .relaxed) == 1 })
        client.session.resetStream(stream, errorCode: HTTP2ErrorCode.cancel)
        try client.flush()
        #expect(try await client.wait { _ in server.probe.cancelled.load(ordering: .relaxed) == 1 })
        // The connection still serves.
        let response = try await client.unary(path: "/test.Echo/Unary", message: [9])
        #expect(response.grpcStatus == 0)
    }

    @Test func slowReaderSuspendsTheWriter() async throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)
        client.autoConsume = false
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Flood"), body: RawClient.frame([]))
        // The client's 1 MiB window fills; the writer may queue up to the high-water mark more.
        // No fixed sleep (a busy machine may not run the writer within it): wait until it has
        // sent a window's worth, then until it stops (two reads 300 ms apart agree).
        _ = try await client.wait { _ in server.probe.floodSent.load(ordering: .relaxed) >= 10 }
        var sent = server.probe.floodSent.load(ordering: .relaxed)
        for _ in 0..<100 {
            _ = try await client.wait(seconds: 0.3) { _ in false }
            let now = server.probe.floodSent.load(ordering: .relaxed)
            if now == sent { break }
            sent = now
        }
        #expect(sent >= 10)
        #expect(sent < 40)  // 1 MiB window + 256 KiB high-water mark ≈ 20 chunks of 64 KiB; far from 200
        // Reading resumes the flow.
        client.autoConsume = true
        for case .data(stream, let bytes) in client.events { client.session.consume(stream: stream, bytes: bytes.count) }
        try client.flush()
        #expect(try await client.wait(seconds: 30) { $0.isClosed(stream) })
        #expect(server.probe.floodSent.load(ordering: .relaxed) == 200)
        #expect(client.response(stream).grpcStatus == 0)
    }

    @Test func extraStreamsAreRefused() async throws {
        let server = try TestServer { $0.maxConcurrentStreams = 2 }
        // Send five requests before reading the server's SETTINGS.
        let client = try RawClient(port: server.port, sendPreface: false)
        var streams: [Int32] = []
        for _ in 0..<5 { streams.append(try client.session.submitRequest(headers: RawClient.headers(path: "/test.Echo/Slow"), endStream: false)) }
        try client.flush()
        try await client.wait { client in streams[2...].allSatisfy { client.isClosed($0) } }
        for stream in streams[2...] { #expect(client.response(stream).resetCode == HTTP2ErrorCode.refusedStream) }
        #expect(!client.isClosed(streams[0]) && !client.isClosed(streams[1]))
    }

    @Test func idleConnectionIsClosed() async throws {
        let server = try TestServer { $0.idleTimeout = .milliseconds(200) }
        let client = try RawClient(port: server.port)
        #expect(try await client.wait { $0.connectionClosed })
        #expect(client.receivedGoAway)
    }

    @Test func silentConnectionHitsTheHandshakeTimeout() async throws {
        let server = try TestServer { $0.handshakeTimeout = .milliseconds(200) }
        let client = try RawClient(port: server.port, sendPreface: false)
        client.silent = true
        #expect(try await client.wait { $0.connectionClosed })
    }

    @Test func gracefulShutdownLetsInFlightCallsFinish() async throws {
        let server = try TestServer { $0.drainTimeout = .seconds(10) }
        let client = try RawClient(port: server.port)
        let stream = try client.start(RawClient.headers(path: "/test.Echo/Stream"), body: RawClient.frame([5]), end: false)
        try await client.wait { $0.response(stream).body.count == 6 }
        let shutdown = Task.detached { server.server.shutdown() }
        #expect(try await client.wait { $0.receivedGoAway })
        client.session.sendData(stream: stream, bytes: RawClient.frame([6]), endStream: true)
        try client.flush()
        #expect(try await client.wait { $0.isClosed(stream) })
        #expect(client.response(stream).grpcStatus == 0)
        #expect(client.response(stream).messages.map(\.payload) == [[5], [6]])
        await shutdown.value
    }
}
