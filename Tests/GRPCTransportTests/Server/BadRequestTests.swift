import GRPCTransport
import HTTP2
import Posix
import RPC
import Testing

/// Requests the server must refuse, each with the status a person can act on, while it keeps
/// serving everyone else.
@Suite(.serialized) struct BadRequestTests {
    /// The methods the battery calls: the in-process test server's echo service, or the
    /// interop service of a separate `intentd --test-service` process.
    struct Paths {
        var unary: String
        var stream: String
        var unknownMethod: String
        /// Bytes of one message the stream method answers at once, and the size of that answer
        /// (5-byte prefix included).
        var streamMessage: [UInt8]
        var streamReplySize: Int
        /// A request the unary method answers with OK, and the payload it must echo (nil: don't check).
        var goodRequest: [UInt8]
        var goodReply: [UInt8]?

        static let echo = Paths(
            unary: "/test.Echo/Unary", stream: "/test.Echo/Stream", unknownMethod: "/test.Echo/Nope",
            streamMessage: [1], streamReplySize: 6, goodRequest: [42], goodReply: [42])
        /// grpc.testing.TestService: UnaryCall rejects the one-byte body [1] as an invalid
        /// SimpleRequest, which is fine for header- and framing-level checks; FullDuplexCall answers
        /// StreamingOutputCallRequest{response_parameters: [{size: 1}]} with a 1-byte payload.
        static let interop = Paths(
            unary: "/grpc.testing.TestService/UnaryCall", stream: "/grpc.testing.TestService/FullDuplexCall",
            unknownMethod: "/grpc.testing.TestService/Nope",
            streamMessage: [0x12, 0x02, 0x08, 0x01], streamReplySize: 5 + 5,
            goodRequest: [], goodReply: nil)
    }

    /// Runs every bad request once on a fresh connection and checks the answers.
    static func battery(port: Int, paths: Paths = .echo) async throws {
        func call(_ headers: [HeaderField], body: [UInt8] = RawClient.frame([1])) async throws -> RawResponse {
            let client = try RawClient(port: port)
            let stream = try client.start(headers, body: body)
            try await client.wait { $0.isClosed(stream) }
            return client.response(stream)
        }
        let wrongType = try await call(RawClient.headers(path: paths.unary, contentType: "application/json"))
        #expect(wrongType.httpStatus == "415")
        let noTE = try await call(RawClient.headers(path: paths.unary, te: nil))
        #expect(noTE.httpStatus == "400")
        #expect(noTE.header("grpc-status") == String(Status.Code.internal.rawValue))
        #expect(String(decoding: noTE.body, as: UTF8.self).contains("te: trailers"))
        let get = try await call(RawClient.headers(path: paths.unary, method: "GET"), body: [])
        #expect(get.httpStatus == "405")

        let truncated = try await call(RawClient.headers(path: paths.unary), body: [0, 0, 0, 0, 10, 1, 2, 3])
        #expect(truncated.grpcStatus == Status.Code.internal.rawValue)
        #expect(truncated.grpcMessage?.contains("middle of a message") == true)

        let tooBig = try await call(
            RawClient.headers(path: paths.unary), body: RawClient.frame([UInt8](repeating: 1, count: 5000)))
        #expect(tooBig.grpcStatus == Status.Code.resourceExhausted.rawValue)

        let badTimeout = try await call(
            RawClient.headers(path: paths.unary, extra: [HeaderField("grpc-timeout", "soon")]))
        #expect(badTimeout.grpcStatus == Status.Code.internal.rawValue)
        #expect(badTimeout.grpcMessage?.contains("grpc-timeout") == true)

        let unknownMethod = try await call(RawClient.headers(path: paths.unknownMethod))
        #expect(unknownMethod.httpStatus == "200")
        #expect(unknownMethod.grpcStatus == Status.Code.unimplemented.rawValue)
        let unknownService = try await call(RawClient.headers(path: "/no.Such/Thing"))
        #expect(unknownService.grpcStatus == Status.Code.unimplemented.rawValue)

        let snappy = try await call(
            RawClient.headers(path: paths.unary, extra: [HeaderField("grpc-encoding", "snappy")]))
        #expect(snappy.grpcStatus == Status.Code.unimplemented.rawValue)
        #expect(snappy.header("grpc-accept-encoding")?.contains("gzip") == true)

        let twoMessages = try await call(
            RawClient.headers(path: paths.unary), body: RawClient.frame([1]) + RawClient.frame([2]))
        #expect(twoMessages.grpcStatus == Status.Code.internal.rawValue)
        let noMessage = try await call(RawClient.headers(path: paths.unary), body: [])
        #expect(noMessage.grpcStatus == Status.Code.internal.rawValue)

        let badBinary = try await call(
            RawClient.headers(path: paths.unary, extra: [HeaderField("x-data-bin", "!!!not base64!!!")]))
        #expect(badBinary.grpcStatus == Status.Code.internal.rawValue)

        // A client that resets mid-stream, then one that sends garbage instead of HTTP/2.
        let resetter = try RawClient(port: port)
        let stream = try resetter.start(
            RawClient.headers(path: paths.stream), body: RawClient.frame(paths.streamMessage), end: false)
        try await resetter.wait { $0.response(stream).body.count == paths.streamReplySize }
        resetter.session.resetStream(stream, errorCode: HTTP2ErrorCode.cancel)
        try resetter.flush()

        let garbage = try RawClient(port: port, sendPreface: false)
        try garbage.writeAll(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(try await garbage.wait { $0.connectionClosed })

        // Everyone else is still served.
        let good = try RawClient(port: port)
        let response = try await good.unary(path: paths.unary, message: paths.goodRequest)
        #expect(response.grpcStatus == 0)
        if let reply = paths.goodReply { #expect(response.messages.first?.payload == reply) }
    }

    @Test func eachBadRequestGetsTheRightAnswer() async throws {
        let server = try TestServer { $0.maxReceiveMessageSize = 4096 }
        try await Self.battery(port: server.port)
    }

    /// Runs the battery many times against a separate `intentd` process and checks that the
    /// server's open descriptors and resident memory stay flat. A separate process, because the
    /// other suites of this test run allocate and open sockets in parallel in this one.
    @Test func batteryDoesNotLeakDescriptorsOrMemory() async throws {
        let server = try IntentdProcess(arguments: [
            "--host", "127.0.0.1", "--port", "0", "--threads", "1", "--test-service",
            "--max-receive-message-size", "4096",
        ])
        defer { server.stop() }
        for _ in 0..<3 { try await Self.battery(port: server.port, paths: .interop) }  // warm up allocator pools
        try await Task.sleep(for: .milliseconds(200))
        let fdsBefore = try #require(server.openFileDescriptorCount())
        let rssBefore = try #require(server.residentMemoryBytes())
        for _ in 0..<30 { try await Self.battery(port: server.port, paths: .interop) }
        try await Task.sleep(for: .milliseconds(300))  // let the server see the last closes
        let fdsAfter = try #require(server.openFileDescriptorCount())
        let rssAfter = try #require(server.residentMemoryBytes())
        #expect(fdsAfter <= fdsBefore, "server descriptors: \(fdsBefore) → \(fdsAfter)")
        #expect(rssAfter < rssBefore + (8 << 20), "server RSS: \(rssBefore >> 10) KiB → \(rssAfter >> 10) KiB")
        #expect(server.isRunning, "intentd must survive the battery")
    }
}
