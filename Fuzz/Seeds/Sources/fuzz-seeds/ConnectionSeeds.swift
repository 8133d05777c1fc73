import GZip
import HTTP2
import Messages

/// What a client writes on a connection, recorded from our own client-role HTTP2Session:
/// preface, SETTINGS, then the requests. `http2-server` inputs start with a chunking selector.
enum ConnectionSeeds {
    static let testService = "/grpc.testing.TestService/"

    static func headers(_ path: String, extra: [(String, String)] = []) -> [HeaderField] {
        [
            HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", path),
            HeaderField(":authority", "127.0.0.1"), HeaderField("content-type", "application/grpc"),
            HeaderField("te", "trailers"), HeaderField("user-agent", "fuzz-seeds"),
        ] + extra.map { HeaderField($0.0, $0.1) }
    }

    /// One connection: each request is (headers, DATA chunks, end stream); `extra` runs after.
    static func connection(
        _ requests: [(headers: [HeaderField], chunks: [[UInt8]], end: Bool)], extra: (HTTP2Session, [Int32]) -> Void = { _, _ in }
    ) throws -> [UInt8] {
        let session = try HTTP2Session(role: .client)
        var bytes: [UInt8] = []
        var events: [HTTP2Event] = []
        var ids: [Int32] = []
        for request in requests {
            let headersOnly = request.chunks.isEmpty && request.end
            let id = try session.submitRequest(headers: request.headers, endStream: headersOnly)
            ids.append(id)
            for (index, chunk) in request.chunks.enumerated() {
                session.sendData(stream: id, bytes: chunk, endStream: request.end && index == request.chunks.count - 1)
                try session.drainOutput(into: &bytes, events: &events)  // one DATA frame per chunk
            }
            if request.chunks.isEmpty && !headersOnly && request.end { session.sendData(stream: id, bytes: [], endStream: true) }
            try session.drainOutput(into: &bytes, events: &events)
        }
        extra(session, ids)
        try session.drainOutput(into: &bytes, events: &events)
        return bytes
    }

    static func write(to writer: CorpusWriter) throws {
        let simple = SimpleRequest(
            responseSize: 16, payload: Payload(body: Array("hello fuzz".utf8)), responseCompressed: BoolValue(true))
        let output = StreamingOutputCallRequest(
            responseParameters: [ResponseParameters(size: 8), ResponseParameters(size: 3, compressed: BoolValue(false))],
            payload: Payload(body: [1, 2, 3]))
        let input = StreamingInputCallRequest(payload: Payload(body: Array(repeating: 7, count: 40)))
        let twoMessages = try frame(input.serializedBytes()) + frame(input.serializedBytes())

        var seeds: [(String, [UInt8])] = []
        seeds.append(("unary", try connection([
            (headers(testService + "UnaryCall", extra: [("grpc-accept-encoding", "identity,gzip")]),
             [try frame(simple.serializedBytes())], true),
        ])))
        seeds.append(("unary-gzip", try connection([
            (headers(testService + "UnaryCall", extra: [("grpc-encoding", "gzip"), ("grpc-accept-encoding", "gzip")]),
             [try frame(SimpleRequest(responseSize: 4, expectCompressed: BoolValue(true)).serializedBytes(), gzip: true)], true),
        ])))
        seeds.append(("empty-call-metadata-timeout", try connection([
            (headers(testService + "EmptyCall", extra: [
                ("grpc-timeout", "5S"), ("x-user", "fuzz"), ("x-trace-bin", "AAEC"), ("authorization", "Bearer t0ken"),
            ]), [try frame(Empty().serializedBytes())], true),
        ])))
        seeds.append(("full-duplex", try connection([
            (headers(testService + "FullDuplexCall"),
             [try frame(output.serializedBytes()), try frame(output.serializedBytes())], true),
        ])))
        // Two messages cut across DATA frames, in the middle of a prefix and of a body.
        let cut1 = 3, cut2 = twoMessages.count - 7
        seeds.append(("streaming-input-split", try connection([
            (headers(testService + "StreamingInputCall"),
             [Array(twoMessages[..<cut1]), Array(twoMessages[cut1..<cut2]), Array(twoMessages[cut2...])], true),
        ])))
        seeds.append(("health-check", try connection([
            (headers("/grpc.health.v1.Health/Check"), [try frame(HealthCheckRequest(service: "").serializedBytes())], true),
        ])))
        seeds.append(("several-streams-hpack", try connection([
            (headers(testService + "UnaryCall"), [try frame(simple.serializedBytes())], true),
            (headers(testService + "UnaryCall"), [try frame(simple.serializedBytes())], true),
            (headers(testService + "EmptyCall"), [try frame([])], true),
        ])))
        seeds.append(("not-grpc", try connection([
            ([HeaderField(":method", "GET"), HeaderField(":scheme", "http"), HeaderField(":path", "/"),
              HeaderField(":authority", "127.0.0.1")], [], true),
            ([HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", "/x"),
              HeaderField(":authority", "127.0.0.1"), HeaderField("content-type", "text/plain")], [Array("hi".utf8)], true),
        ])))
        seeds.append(("unknown-method-and-bad-timeout", try connection([
            (headers("/no.Such/Method"), [try frame([1, 2])], true),
            (headers(testService + "EmptyCall", extra: [("grpc-timeout", "99999999999S")]), [try frame([])], true),
            (headers(testService + "EmptyCall", extra: [("grpc-encoding", "br")]), [try frame([])], true),
        ])))
        seeds.append(("reset-and-ping", try connection(
            [(headers(testService + "FullDuplexCall"), [try frame(output.serializedBytes())], false)],
            extra: { session, ids in
                session.submitPing()
                session.resetStream(ids[0], errorCode: HTTP2ErrorCode.cancel)
                session.submitGoAway(errorCode: HTTP2ErrorCode.noError)
            })))
        seeds.append(("oversized-message", try connection([
            (headers(testService + "UnaryCall"), [[0, 0, 2, 0, 0] + Array(repeating: 0x41, count: 100)], true),
        ])))
        for (name, bytes) in seeds {
            try writer.write(bytes, target: "grpc-server", name: name)
            try writer.write([0] + bytes, target: "http2-server", name: name)
        }
        // The same connection delivered in small reads.
        if let unary = seeds.first(where: { $0.0 == "streaming-input-split" }) {
            try writer.write([5] + unary.1, target: "http2-server", name: "streaming-input-split-in-5-byte-reads")
            try writer.write([1] + unary.1, target: "http2-server", name: "streaming-input-split-in-1-byte-reads")
        }
    }
}
