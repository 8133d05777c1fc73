import GRPCTransport
import HTTP2
import RPC
import Synchronization
import Testing

/// Our client against a server that answers wrongly: every bad response becomes a clear status.
struct BadServerTests {
    private func call(_ reply: ScriptedServer.Reply, maxReceiveMessageSize: Int = 1 << 20) async throws -> RPCError? {
        let server = try ScriptedServer { _ in reply }
        defer { server.stop() }
        let channel = try GRPCChannel(
            configuration: ChannelConfiguration(host: "127.0.0.1", port: server.port, maxReceiveMessageSize: maxReceiveMessageSize))
        defer { channel.close() }
        return await #expect(throws: RPCError.self) {
            try await channel.unary(path: "/a.B/C", request: [1], timeout: .seconds(10))
        }
    }

    @Test(arguments: [(503, Status.Code.unavailable), (404, .unimplemented), (401, .unauthenticated), (500, .unknown)])
    func httpErrorStatus(httpStatus: Int, code: Status.Code) async throws {
        let error = try await call(.respond(headers: [HeaderField(":status", "\(httpStatus)"), HeaderField("content-type", "text/plain")], data: Array("oops".utf8)))
        #expect(error?.code == code)
        #expect(error?.message.contains("\(httpStatus)") == true)
    }

    @Test func trailersOnlyStatusAndMessage() async throws {
        let error = try await call(
            .respond(headers: ScriptedServer.okHeaders + [HeaderField("grpc-status", "7"), HeaderField("grpc-message", "no%20way")]))
        #expect(error == RPCError(.permissionDenied, "no way"))
    }

    @Test func trailersWithoutStatus() async throws {
        let error = try await call(
            .respond(headers: ScriptedServer.okHeaders, data: ScriptedServer.frame([1]), trailers: [HeaderField("x-a", "b")]))
        #expect(error?.code == .internal)
    }

    @Test func streamEndsWithoutTrailers() async throws {
        let error = try await call(.respond(headers: ScriptedServer.okHeaders, data: ScriptedServer.frame([1])))
        #expect(error?.code == .internal)
        #expect(error?.message.contains("trailers") == true)
    }

    @Test func twoMessagesForAUnaryCall() async throws {
        let error = try await call(
            .respond(
                headers: ScriptedServer.okHeaders, data: ScriptedServer.frame([1]) + ScriptedServer.frame([2]),
                trailers: [HeaderField("grpc-status", "0")]))
        #expect(error?.code == .internal)
    }

    @Test func compressedWithAnUnknownEncoding() async throws {
        let error = try await call(
            .respond(
                headers: ScriptedServer.okHeaders + [HeaderField("grpc-encoding", "snappy")],
                data: ScriptedServer.frame([1, 2, 3], compressed: true), trailers: [HeaderField("grpc-status", "0")]))
        #expect(error?.code == .internal)
    }

    @Test func compressedWithoutAnEncoding() async throws {
        let error = try await call(
            .respond(
                headers: ScriptedServer.okHeaders, data: ScriptedServer.frame([1, 2, 3], compressed: true),
                trailers: [HeaderField("grpc-status", "0")]))
        #expect(error?.code == .internal)
    }

    @Test func messageOverTheReceiveLimit() async throws {
        let error = try await call(
            .respond(
                headers: ScriptedServer.okHeaders, data: ScriptedServer.frame([UInt8](repeating: 0, count: 2000)),
                trailers: [HeaderField("grpc-status", "0")]),
            maxReceiveMessageSize: 1000)
        #expect(error?.code == .resourceExhausted)
    }

    @Test func truncatedMessage() async throws {
        let error = try await call(
            .respond(
                headers: ScriptedServer.okHeaders, data: Array(ScriptedServer.frame([1, 2, 3, 4]).prefix(6)),
                trailers: [HeaderField("grpc-status", "0")]))
        #expect(error?.code == .internal)
    }

    @Test func nonGRPCContentType() async throws {
        let error = try await call(
            .respond(headers: [HeaderField(":status", "200"), HeaderField("content-type", "text/html")], data: Array("<html>".utf8)))
        #expect(error?.code == .unknown)
    }

    @Test(arguments: [(HTTP2ErrorCode.refusedStream, Status.Code.unavailable), (HTTP2ErrorCode.cancel, .cancelled),
                      (HTTP2ErrorCode.internalError, .internal)])
    func streamReset(errorCode: UInt32, code: Status.Code) async throws {
        let error = try await call(.reset(errorCode: errorCode))
        #expect(error?.code == code)
    }

    @Test func responseHeadersOverTheClientsLimit() async throws {
        let error = try await call(
            .respond(
                headers: ScriptedServer.okHeaders + [HeaderField("x-big", String(repeating: "a", count: 20_000))],
                data: ScriptedServer.frame([1]), trailers: [HeaderField("grpc-status", "0")]))
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("over this client's limit of 16384 bytes") == true)
    }

    @Test func malformedResponseHeaderIsNamed() async throws {
        let error = try await call(.respond(headers: ScriptedServer.okHeaders + [HeaderField("x-padded", "value ")]))
        #expect(error?.code == .internal)
        #expect(error?.message == "the server sent a malformed header 'x-padded': value has leading or trailing whitespace (RFC 9113 §8.2.1)")
    }

    @Test func goAwayAndCloseWithTheCallOpen() async throws {
        let error = try await call(.goAway(errorCode: HTTP2ErrorCode.noError))
        #expect(error?.code == .unavailable)
    }

    @Test func badResponsesDoNotPoisonTheChannel() async throws {
        let server = try ScriptedServer { path in
            path == "/a.B/Good"
                ? .respond(headers: ScriptedServer.okHeaders, data: ScriptedServer.frame([9]), trailers: [HeaderField("grpc-status", "0")])
                : .respond(headers: ScriptedServer.okHeaders, data: [1, 0, 0], trailers: [HeaderField("grpc-status", "0")])
        }
        defer { server.stop() }
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: server.port))
        defer { channel.close() }
        for _ in 0..<3 {
            await #expect(throws: RPCError.self) { try await channel.unary(path: "/a.B/Bad", request: []) }
            #expect(try await channel.unary(path: "/a.B/Good", request: []).message == [9])
        }
    }

    @Test func refusedUnaryCallIsRetriedOnce() async throws {
        let attempts = Atomic<Int>(0)
        let server = try ScriptedServer { _ in
            attempts.add(1, ordering: .relaxed).newValue == 1  // the first attempt
                ? .reset(errorCode: HTTP2ErrorCode.refusedStream)
                : .respond(headers: ScriptedServer.okHeaders, data: ScriptedServer.frame([7]), trailers: [HeaderField("grpc-status", "0")])
        }
        defer { server.stop() }
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: server.port))
        defer { channel.close() }
        #expect(try await channel.unary(path: "/a.B/C", request: [1], timeout: .seconds(10)).message == [7])
        #expect(attempts.load(ordering: .relaxed) == 2)

        // A streaming call's request is not kept, so it is not retried.
        attempts.store(0, ordering: .relaxed)
        let call = channel.makeCall(path: "/a.B/C", timeout: .seconds(10))
        try? await call.send([1])
        #expect(await call.status.code == .unavailable)
        #expect(attempts.load(ordering: .relaxed) == 1)
    }
}
