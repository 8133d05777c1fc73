import FuzzSupport
@testable import GRPCTransport
import HTTP2
import RPC

/// The server side of one HTTP/2 connection, sans I/O, as `ServerConnection` and `ServerStream`
/// drive it: an `HTTP2Session(role: .server)` fed the client's bytes; each request's HEADERS
/// checked by `ServerRequestHead.parse`; its DATA deframed (and gunzipped) by `MessageDeframer`;
/// at END_STREAM every message echoed back (gzip-framed when the client accepts gzip), or the
/// request refused with a Trailers-Only response. The session's output is drained after every
/// read, so the peer's SETTINGS, WINDOW_UPDATEs, PINGs and resets act on real queued frames.
final class ServerChain {
    /// Small enough that inputs reach the message limit (the checks are the same at 4 MiB).
    static let maxMessageSize = 64 * 1024

    private struct Stream {
        var head: ServerRequestHead? = nil
        var deframer = MessageDeframer(maxMessageSize: ServerChain.maxMessageSize)
        var messages: [ReceivedMessage] = []
        var responded = false
    }

    let session: HTTP2Session
    private var streams: [Int32: Stream] = [:]
    private var events: [HTTP2Event] = []
    private var output: [UInt8] = []
    private(set) var closed = false

    init() throws {
        var settings = HTTP2Settings()
        settings.maxConcurrentStreams = 100
        settings.maxHeaderListSize = 16 * 1024
        settings.initialWindowSize = 64 * 1024
        session = try HTTP2Session(role: .server, settings: settings)
        session.outboundLowWaterMark = 16 * 1024
        drain()
    }

    /// One socket read's worth of bytes; false once the session failed (the connection closes).
    func receive(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !closed else { return false }
        do {
            try session.receive(bytes, events: &events)
        } catch {
            handleEvents()
            drain()
            closed = true
            return false
        }
        handleEvents()
        drain()
        return !closed
    }

    private func drain() {
        for _ in 0..<8 {
            output.removeAll(keepingCapacity: true)
            do {
                try session.drainOutput(into: &output, events: &events)
            } catch {
                closed = true
                return
            }
            let hadEvents = !events.isEmpty
            handleEvents()
            if output.isEmpty && !hadEvents { return }
        }
    }

    private func handleEvents() {
        while !events.isEmpty {
            let batch = events
            events.removeAll()
            for event in batch { handle(event) }
        }
    }

    private func handle(_ event: HTTP2Event) {
        switch event {
        case .headers(let id, let fields, let endStream):
            if streams[id]?.head != nil || streams[id]?.responded == true {
                if endStream { finish(id) }  // request trailers
                return
            }
            var stream = Stream()
            switch ServerRequestHead.parse(fields) {
            case .failure(let rejection):
                streams[id] = stream
                respondTrailersOnly(id, httpStatus: rejection.httpStatus, error: rejection.error)
                return
            case .success(let head):
                stream.head = head
                stream.deframer = MessageDeframer(maxMessageSize: Self.maxMessageSize, encoding: head.requestEncoding)
                _ = MethodPath(path: head.path)
            }
            streams[id] = stream
            if endStream { finish(id) }
        case .data(let id, let bytes):
            session.consume(stream: id, bytes: bytes.count)
            guard var stream = streams[id], stream.head != nil, !stream.responded else { return }
            streams[id] = nil  // one owner of the deframer's buffer while it appends
            do {
                try stream.deframer.process(bytes[...], into: &stream.messages)
                streams[id] = stream
            } catch {
                streams[id] = stream
                respondTrailersOnly(id, httpStatus: 200, error: error)
            }
        case .endStream(let id):
            finish(id)
        case .streamClosed(let id, _):
            streams[id] = nil
        case .oversizedHeaders(let id, _, _):
            // As the server does: a gRPC status, RESOURCE_EXHAUSTED, for a block it kept nothing of.
            streams[id] = Stream()
            respondTrailersOnly(
                id, httpStatus: 200, error: RPCError(.resourceExhausted, "request headers over the limit"))
        case .malformedHeader(let id, _, _):
            streams[id] = nil  // nghttp2 resets the stream itself
        case .connectionError, .goAway, .outboundDrained:
            break
        }
    }

    /// END_STREAM: the deframer must be between messages; then every message is echoed.
    private func finish(_ id: Int32) {
        guard let stream = streams[id], let head = stream.head, !stream.responded else { return }
        do {
            try stream.deframer.finish()
        } catch {
            respondTrailersOnly(id, httpStatus: 200, error: error)
            return
        }
        let framer = MessageFramer(encoding: head.clientAcceptsGzip ? .gzip : .identity)
        var body: [UInt8] = []
        do {
            for message in stream.messages { try framer.append(message.bytes, into: &body) }
        } catch {
            respondTrailersOnly(id, httpStatus: 200, error: error)
            return
        }
        streams[id]?.responded = true
        var fields = ResponseHeaders.ok
        if head.clientAcceptsGzip { fields.append(ResponseHeaders.gzipEncoding) }
        MetadataCoding.encode(head.metadata, into: &fields)
        do {
            try session.submitResponse(stream: id, headers: fields, endStream: false)
        } catch {
            session.resetStream(id, errorCode: HTTP2ErrorCode.internalError)
            return
        }
        session.sendData(stream: id, bytes: body, endStream: false)
        session.submitTrailers(stream: id, headers: ResponseHeaders.okTrailers)
    }

    private func respondTrailersOnly(_ id: Int32, httpStatus: Int, error: RPCError) {
        guard streams[id]?.responded == false else { return }
        streams[id]?.responded = true
        var fields =
            httpStatus == 200
            ? ResponseHeaders.ok
            : [
                HeaderField(name: ":status", value: String(httpStatus)),
                HeaderField(name: "content-type", value: "application/grpc"),
            ]
        fields.append(ResponseHeaders.status(error.code))
        fields.append(HeaderField(name: "grpc-message", value: PercentEncoding.encode(error.message)))
        do {
            try session.submitResponse(stream: id, headers: fields, endStream: true)
        } catch {
            session.resetStream(id, errorCode: HTTP2ErrorCode.internalError)
        }
        session.resetAfterQueuedFrames(id, errorCode: HTTP2ErrorCode.noError)
    }
}
