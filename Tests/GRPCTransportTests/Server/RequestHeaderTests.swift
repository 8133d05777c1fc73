import GRPCTransport
import HTTP2
import RPC
import Synchronization
import Testing

/// Request header blocks the server will not keep: too big (a gRPC status, or a reset past the
/// hard ceiling) or malformed (a reset, and a log line naming the header but not its value).
@Suite(.serialized) struct RequestHeaderTests {
    @Test func oversizedHeadersGetResourceExhaustedAndTheConnectionStaysUsable() async throws {
        let log = IncidentLog()
        let server = try TestServer {
            $0.maxHeaderListSize = 1024
            $0.onIncident = log.record
        }
        let client = try RawClient(port: server.port)
        let big = [HeaderField("x-big", String(repeating: "a", count: 2000))]
        let response = try await client.unary(path: "/test.Echo/Unary", message: [1], extra: big)
        #expect(response.httpStatus == "200")
        #expect(response.grpcStatus == Status.Code.resourceExhausted.rawValue)
        let message = try #require(response.grpcMessage)
        #expect(message.hasPrefix("request headers are "))
        #expect(message.hasSuffix(" bytes, over the server's limit of 1024 bytes (SETTINGS_MAX_HEADER_LIST_SIZE)"))
        #expect(response.resetCode == HTTP2ErrorCode.noError)
        #expect(log.of(.limitExceeded).first?.detail.contains("max_header_list_size") == true)

        // HPACK stayed in sync: the next requests on the same connection (which index the fields
        // of the first one) are served.
        for _ in 0..<3 {
            let next = try await client.unary(path: "/test.Echo/Unary", message: [2], extra: [HeaderField("x-echo-a", "b")])
            #expect(next.grpcStatus == 0)
            #expect(next.header("x-echo-a") == "b")
        }
    }

    @Test func oversizedStreamingRequestHeadersStopTheStreamToo() async throws {
        let server = try TestServer { $0.maxHeaderListSize = 1024 }
        let client = try RawClient(port: server.port)
        let stream = try client.start(
            RawClient.headers(path: "/test.Echo/Stream", extra: [HeaderField("x-big", String(repeating: "b", count: 3000))]),
            end: false)
        #expect(try await client.wait { $0.isClosed(stream) })
        #expect(client.response(stream).grpcStatus == Status.Code.resourceExhausted.rawValue)
        #expect(server.probe.started.load(ordering: .relaxed) == 0)
    }

    @Test func headersPastTheHardCeilingResetTheStream() async throws {
        // Limit 1 KiB → ceiling 64 KiB. 9 fields of 8 KiB (each under nghttp2's own field limit),
        // spread over HEADERS + CONTINUATION frames.
        let server = try TestServer { $0.maxHeaderListSize = 1024 }
        let client = try FrameClient(port: server.port)
        let fields = RawClient.headers(path: "/test.Echo/Unary")
            + (0..<9).map { HeaderField("x-big-\($0)", String(repeating: "c", count: 8192)) }
        try client.send(RawFrames.headers(stream: 1, fields: fields, endStream: true))
        #expect(try await client.wait { $0.resetCode(1) != nil })
        #expect(client.resetCode(1) == HTTP2ErrorCode.internalError)
        #expect(!client.receivedHeaders(on: 1))
        // The connection still serves.
        try client.send(RawFrames.headers(stream: 3, fields: RawClient.headers(path: "/test.Echo/Unary"), endStream: true))
        #expect(try await client.wait { $0.receivedHeaders(on: 3) })
        #expect(client.goAwayErrorCode == nil)
    }

    @Test func malformedHeaderIsReportedWithoutItsValue() async throws {
        let log = IncidentLog()
        let server = try TestServer { $0.onIncident = log.record }
        let client = try RawClient(port: server.port)
        let response = try await client.unary(
            path: "/test.Echo/Unary", message: [1], extra: [HeaderField("authorization", "Bearer secret-token-42 ")])
        #expect(response.resetCode == HTTP2ErrorCode.protocolError)
        #expect(response.headers == nil)
        let incidents = log.of(.malformedHeader)
        #expect(incidents.count == 1)
        let incident = try #require(incidents.first)
        #expect(
            incident.detail == "header 'authorization' is malformed: value has leading or trailing whitespace "
                + "(RFC 9113 §8.2.1); the stream was reset with PROTOCOL_ERROR")
        #expect(incident.stream == 1)
        #expect(!incident.description.contains("secret-token"))
        #expect(!incident.description.contains("Bearer"))
        // The connection still serves.
        #expect(try await client.unary(path: "/test.Echo/Unary", message: [2]).grpcStatus == 0)
    }
}
