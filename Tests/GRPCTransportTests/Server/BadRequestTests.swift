import GRPCTransport
import HTTP2
import Posix
import RPC
import Testing

/// Requests the server must refuse, each with the status a person can act on, while it keeps
/// serving everyone else.
@Suite(.serialized) struct BadRequestTests {
    /// Runs every bad request once on a fresh connection and checks the answers.
    static func battery(port: Int) async throws {
        func call(_ headers: [HeaderField], body: [UInt8] = RawClient.frame([1])) async throws -> RawResponse {
            let client = try RawClient(port: port)
            let stream = try client.start(headers, body: body)
            try await client.wait { $0.isClosed(stream) }
            return client.response(stream)
        }
        let wrongType = try await call(RawClient.headers(path: "/test.Echo/Unary", contentType: "application/json"))
        #expect(wrongType.httpStatus == "415")
        let noTE = try await call(RawClient.headers(path: "/test.Echo/Unary", te: nil))
        #expect(noTE.httpStatus == "400")
        #expect(noTE.grpcStatus == Status.Code.internal.rawValue)
        let get = try await call(RawClient.headers(path: "/test.Echo/Unary", method: "GET"), body: [])
        #expect(get.httpStatus == "405")

        let truncated = try await call(RawClient.headers(path: "/test.Echo/Unary"), body: [0, 0, 0, 0, 10, 1, 2, 3])
        #expect(truncated.grpcStatus == Status.Code.internal.rawValue)
        #expect(truncated.grpcMessage?.contains("middle of a message") == true)

        let tooBig = try await call(
            RawClient.headers(path: "/test.Echo/Unary"), body: RawClient.frame([UInt8](repeating: 1, count: 5000)))
        #expect(tooBig.grpcStatus == Status.Code.resourceExhausted.rawValue)

        let badTimeout = try await call(
            RawClient.headers(path: "/test.Echo/Unary", extra: [HeaderField("grpc-timeout", "soon")]))
        #expect(badTimeout.grpcStatus == Status.Code.internal.rawValue)
        #expect(badTimeout.grpcMessage?.contains("grpc-timeout") == true)

        let unknownMethod = try await call(RawClient.headers(path: "/test.Echo/Nope"))
        #expect(unknownMethod.httpStatus == "200")
        #expect(unknownMethod.grpcStatus == Status.Code.unimplemented.rawValue)
        let unknownService = try await call(RawClient.headers(path: "/no.Such/Thing"))
        #expect(unknownService.grpcStatus == Status.Code.unimplemented.rawValue)

        let snappy = try await call(
            RawClient.headers(path: "/test.Echo/Unary", extra: [HeaderField("grpc-encoding", "snappy")]))
        #expect(snappy.grpcStatus == Status.Code.unimplemented.rawValue)
        #expect(snappy.header("grpc-accept-encoding")?.contains("gzip") == true)

        let twoMessages = try await call(
            RawClient.headers(path: "/test.Echo/Unary"), body: RawClient.frame([1]) + RawClient.frame([2]))
        #expect(twoMessages.grpcStatus == Status.Code.internal.rawValue)
        let noMessage = try await call(RawClient.headers(path: "/test.Echo/Unary"), body: [])
        #expect(noMessage.grpcStatus == Status.Code.internal.rawValue)

        let badBinary = try await call(
            RawClient.headers(path: "/test.Echo/Unary", extra: [HeaderField("x-data-bin", "!!!not base64!!!")]))
        #expect(badBinary.grpcStatus == Status.Code.internal.rawValue)

        // A client that resets mid-stream, then one that sends garbage instead of HTTP/2.
        let resetter = try RawClient(port: port)
        let stream = try resetter.start(RawClient.headers(path: "/test.Echo/Stream"), body: RawClient.frame([1]), end: false)
        try await resetter.wait { $0.response(stream).body.count == 6 }
        resetter.session.resetStream(stream, errorCode: HTTP2ErrorCode.cancel)
        try resetter.flush()

        let garbage = try RawClient(port: port, sendPreface: false)
        try garbage.writeAll(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(try await garbage.wait { $0.connectionClosed })

        // Everyone else is still served.
        let good = try RawClient(port: port)
        let response = try await good.unary(path: "/test.Echo/Unary", message: [42])
        #expect(response.grpcStatus == 0)
        #expect(response.messages.first?.payload == [42])
    }

    @Test func eachBadRequestGetsTheRightAnswer() async throws {
        let server = try TestServer { $0.maxReceiveMessageSize = 4096 }
        try await Self.battery(port: server.port)
    }

    @Test func batteryDoesNotLeakDescriptorsOrMemory() async throws {
        let server = try TestServer { $0.maxReceiveMessageSize = 4096 }
        try await Self.battery(port: server.port)  // warm up (allocator pools, lazy globals)
        try await Task.sleep(for: .milliseconds(100))
        let fdsBefore = try #require(openFileDescriptorCount())
        let rssBefore = try #require(System.residentMemoryBytes())
        for _ in 0..<25 { try await Self.battery(port: server.port) }
        try await Task.sleep(for: .milliseconds(300))  // let the server see the last closes
        let fdsAfter = try #require(openFileDescriptorCount())
        let rssAfter = try #require(System.residentMemoryBytes())
        #expect(fdsAfter <= fdsBefore + 2, "descriptors: \(fdsBefore) → \(fdsAfter)")
        #expect(rssAfter - rssBefore < 32 << 20, "RSS grew \((rssAfter - rssBefore) >> 10) KiB")
    }
}
