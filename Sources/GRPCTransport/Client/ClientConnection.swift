internal import HTTP2
internal import Posix
internal import RPC
internal import TLS

/// One client HTTP/2 connection on the channel's event loop: its ``ConnectionPump`` (socket ⇄
/// [TLS] ⇄ HTTP2Session ⇄ write queue) and what is the client's: the connect and its timeout,
/// readiness (ALPN h2), the streams of the calls on it, GOAWAY and transparent retries.
///
/// ```
///  connecting (TCP, then the TLS handshake) ──connected / ALPN h2──► ready ──► closed
///      └──────── refused / timeout / handshake or protocol error / peer closed ─┘
/// ```
///
/// Requests are submitted to the session from the start; their frames wait in the output
/// buffers until the connection is ready. A connection error ends every open call with
/// `UNAVAILABLE`; after GOAWAY the connection takes no new calls and the channel opens another.
/// Owned by the loop thread; every method runs there.
final class ClientConnection: ConnectionPumpOwner {
    enum State {
        case connecting
        case ready
        case closed
    }

    let loop: EventLoop
    let configuration: ChannelConfiguration
    let session: HTTP2Session
    private var pump: ConnectionPump<ClientConnection>!
    private let onClose: (ClientConnection) -> Void
    /// Starts a refused, never-processed call again (on another connection).
    private let onRetry: (ClientStream) -> Void

    private(set) var state = State.connecting
    private(set) var goingAway = false
    /// Why the last request could not be submitted, if it could not.
    private(set) var submitFailure: String? = nil
    private var streams: [Int32: ClientStream] = [:]
    private var connectTimer: TimerID? = nil

    /// Starts a non-blocking connect; throws when the socket cannot even be created.
    init(loop: EventLoop, configuration: ChannelConfiguration, tlsContext: TLSContext?,
         onClose: @escaping (ClientConnection) -> Void, onRetry: @escaping (ClientStream) -> Void) throws {
        self.loop = loop
        self.configuration = configuration
        self.onClose = onClose
        self.onRetry = onRetry
        self.session = try HTTP2Session(role: .client, settings: HTTP2Settings())
        let tls = try tlsContext.map { try TLSConnection(context: $0, serverName: configuration.tlsServerName) }
        let fd = try Socket.connectTCP(host: configuration.host, port: configuration.port)
        self.pump = ConnectionPump(
            fd: fd, loop: loop, session: session, tls: tls, readBuffer: ConnectionReadBuffer(),
            outputHighWater: 512 * 1024, connecting: true, owner: self)
        do {
            try pump.register()
        } catch {
            Socket.close(fd)
            throw error
        }
        connectTimer = loop.schedule(after: configuration.connectTimeout.nanosecondsClamped) { [weak self] in
            guard let self, self.state == .connecting else { return }
            self.connectTimer = nil
            self.close(Status(code: .unavailable, message: "connecting to \(self.endpoint) timed out"))
        }
    }

    private var endpoint: String { "\(configuration.host):\(configuration.port)" }

    /// Whether a new call may use this connection.
    var acceptsNewStreams: Bool { state != .closed && !goingAway }

    // MARK: Streams

    /// Submits the stream's request headers (and `initialMessage`, ending the request when
    /// `endStream`) and adds it to the stream table.
    /// Returns false, leaving the stream untouched, when this connection can open no more streams
    /// (stream ids exhausted): the connection then stops taking calls and the caller uses another.
    @discardableResult
    func open(_ stream: ClientStream, initialMessage: [UInt8]?, endStream: Bool) -> Bool {
        let now = monotonicNanoseconds()
        if stream.deadlinePassed(now: now) {
            stream.end(Status(code: .deadlineExceeded, message: "the call's deadline passed before it started"), trailers: [:], dropBuffered: true)
            return true
        }
        let headers = stream.requestHeaders(configuration: configuration, now: now)
        let id: Int32
        do {
            id = try session.submitRequest(headers: headers, endStream: initialMessage == nil && endStream)
        } catch {
            // Most likely the stream ids ran out: this connection takes no more calls.
            submitFailure = "\(error)"
            goingAway = true
            onClose(self)
            if streams.isEmpty { close(Status(code: .unavailable, message: "the connection can open no more streams")) }
            return false
        }
        streams[id] = stream
        stream.opened(id: id, on: self, loop: loop, now: now, wholeRequest: endStream ? initialMessage : nil)
        if let initialMessage {
            stream.send(initialMessage, endStream: endStream, waiter: nil)
        } else if endStream {
            stream.markRequestEnded()
        }
        scheduleFlush()
        return true
    }

    func streamEnded(_ stream: ClientStream) {
        streams[stream.id] = nil
        if goingAway && streams.isEmpty { close(Status(code: .unavailable, message: "the server closed the connection (GOAWAY)")) }
    }

    // MARK: ConnectionPumpOwner

    func pumpEstablished() {
        guard pump.tls == nil || pump.tls?.negotiatedProtocol == "h2" else {
            close(Status(code: .unavailable, message: "the server at \(endpoint) did not negotiate HTTP/2 (ALPN h2) over TLS"))
            return
        }
        state = .ready
        if let timer = connectTimer {
            loop.cancel(timer)
            connectTimer = nil
        }
    }

    func pumpFailed(_ failure: ConnectionPumpFailure) {
        let message: String
        switch failure {
        case .connectFailed(let error): message = "connecting to \(endpoint) failed: \(error)"
        case .readFailed(let error): message = "reading from \(endpoint) failed: \(error)"
        case .writeFailed(let error): message = "writing to \(endpoint) failed: \(error)"
        case .peerClosed: message = "the server at \(endpoint) closed the connection"
        case .tlsFailed(let error):
            let stage = state == .ready ? "TLS error on the connection to" : "TLS handshake with"
            message = "\(stage) \(endpoint) failed: \(error)"
        case .closeNotify: message = "the server at \(endpoint) closed the TLS connection"
        case .protocolError(let error): message = "HTTP/2 protocol error from \(endpoint): \(error)"
        case .sessionFailed(let error): message = "HTTP/2 error on the connection to \(endpoint): \(error)"
        }
        close(Status(code: .unavailable, message: message))
    }

    func pumpFlushed() {
        if !session.wantsRead && !session.wantsWrite && pump.isOutputWritten {
            close(Status(code: .unavailable, message: "the connection to \(endpoint) ended"))
        }
    }

    func pumpHandle(_ events: [HTTP2Event]) {
        for event in events {
            switch event {
            case .headers(let id, let fields, let endStream):
                streams[id]?.receiveHeaders(fields, endStream: endStream)
            case .data(let id, let bytes):
                if let stream = streams[id] {
                    stream.receiveData(bytes)
                } else {
                    session.consume(stream: id, bytes: bytes.count)
                }
            case .endStream(let id):
                streams[id]?.receiveEndStream()
            case .streamClosed(let id, let errorCode):
                guard let stream = streams[id] else { break }
                if errorCode == HTTP2ErrorCode.refusedStream && stream.canRetryTransparently {
                    retry(stream)
                } else {
                    stream.streamClosed(errorCode: errorCode)
                }
            case .goAway(let lastStream, let errorCode):
                receiveGoAway(lastStream: lastStream, errorCode: errorCode)
            case .outboundDrained(let id):
                streams[id]?.outboundDrained()
            case .oversizedHeaders(let id, let size, _):
                streams[id]?.terminate(
                    Status(
                        code: .resourceExhausted,
                        message: "the server's response headers are \(size) bytes, over this client's limit of "
                            + "\(session.settings.maxHeaderListSize) bytes (SETTINGS_MAX_HEADER_LIST_SIZE)"))
            case .malformedHeader(let id, let name, let reason):
                guard let stream = streams[id] else { break }
                stream.markRequestEnded()  // nghttp2 resets the stream (PROTOCOL_ERROR): no second reset
                stream.end(
                    Status(code: .internal, message: "the server sent a malformed header '\(name)': \(reason) (RFC 9113 §8.2.1)"),
                    trailers: [:], dropBuffered: true)
            case .connectionError:
                break  // reported by server sessions only
            }
        }
    }

    private func receiveGoAway(lastStream: Int32, errorCode: UInt32) {
        goingAway = true
        onClose(self)  // the channel stops handing out this connection
        let unprocessed = streams.values.filter { $0.id > lastStream }.sorted { $0.id < $1.id }
        for stream in unprocessed {
            if stream.canRetryTransparently {
                retry(stream)
            } else {
                stream.end(
                    Status(code: .unavailable, message: "the server is going away (GOAWAY, error code \(errorCode)) and did not process this call"),
                    trailers: [:], dropBuffered: false)
            }
        }
        if streams.isEmpty { close(Status(code: .unavailable, message: "the server closed the connection (GOAWAY)")) }
    }

    /// Moves a call the server never processed to another connection (once).
    private func retry(_ stream: ClientStream) {
        streams[stream.id] = nil
        stream.prepareRetry()
        onRetry(stream)
        if goingAway && streams.isEmpty { close(Status(code: .unavailable, message: "the server closed the connection (GOAWAY)")) }
    }

    // MARK: Output

    /// Flushes once, after the loop has handled the current batch of work.
    func scheduleFlush() { pump.scheduleFlush() }

    // MARK: Closing

    /// Closes the socket and ends every call still on the connection with `status`.
    func close(_ status: Status) {
        guard state != .closed else { return }
        state = .closed
        pump.close()
        if let timer = connectTimer {
            loop.cancel(timer)
            connectTimer = nil
        }
        let open = streams.values
        streams = [:]
        for stream in open { stream.end(status, trailers: [:], dropBuffered: false) }
        onClose(self)
    }

    /// Sends GOAWAY and closes (the channel is shutting down).
    func shutdown() {
        guard state != .closed else { return }
        if state == .ready {
            session.submitGoAway(errorCode: HTTP2ErrorCode.noError)
            pump.flush()
            if state == .ready { pump.sendCloseNotify() }
        }
        close(Status(code: .unavailable, message: "the channel was closed"))
    }
}
