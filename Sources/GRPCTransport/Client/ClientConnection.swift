internal import HTTP2
internal import Posix
internal import RPC
internal import TLS

/// One client HTTP/2 connection on the channel's event loop: socket ⇄ [TLS] ⇄ HTTP2Session ⇄
/// the streams of the calls on it.
///
/// ```
///  connecting ──TCP connected──► handshaking (TLS only) ──ALPN h2──► ready ──► closed
///      └────────── refused / timeout / handshake or protocol error / peer closed ─┘
/// ```
///
/// Requests are submitted to the session from the start; their frames wait in the output
/// buffers until the connection is ready. A connection error ends every open call with
/// `UNAVAILABLE`; after GOAWAY the connection takes no new calls and the channel opens another.
/// Owned by the loop thread; every method runs there.
final class ClientConnection: EventHandler {
    enum State {
        case connecting
        case handshaking
        case ready
        case closed
    }

    let loop: EventLoop
    let configuration: ChannelConfiguration
    let session: HTTP2Session
    private let fd: Int32
    private let tls: TLSConnection?
    private let onClose: (ClientConnection) -> Void
    /// Starts a refused, never-processed call again (on another connection).
    private let onRetry: (ClientStream) -> Void

    private(set) var state = State.connecting
    private(set) var goingAway = false
    /// Why the last request could not be submitted, if it could not.
    private(set) var submitFailure: String? = nil
    private var streams: [Int32: ClientStream] = [:]
    private var connectTimer: TimerID? = nil

    /// Pre-sized once; reads overwrite its front (no allocation or zero-fill per read).
    private var readBuffer = [UInt8](repeating: 0, count: ClientConnection.readChunk)
    private var plainIn: [UInt8] = []
    private var plainOut: [UInt8] = []
    private var socketOut: [UInt8] = []
    private var socketOutOffset = 0
    private var watchingWritable = true
    private var flushScheduled = false
    private var events: [HTTP2Event] = []

    /// How many bytes may wait for the socket before the session's output is left in nghttp2.
    private static let socketBufferLimit = 512 * 1024
    private static let readChunk = 64 * 1024

    /// Starts a non-blocking connect; throws when the socket cannot even be created.
    init(loop: EventLoop, configuration: ChannelConfiguration, tlsContext: TLSContext?,
         onClose: @escaping (ClientConnection) -> Void, onRetry: @escaping (ClientStream) -> Void) throws {
        self.loop = loop
        self.configuration = configuration
        self.onClose = onClose
        self.onRetry = onRetry
        self.session = try HTTP2Session(role: .client, settings: HTTP2Settings())
        self.tls = try tlsContext.map { try TLSConnection(context: $0, serverName: configuration.tlsServerName) }
        self.fd = try Socket.connectTCP(host: configuration.host, port: configuration.port)
        do {
            try loop.register(fd: fd, handler: self, readable: true, writable: true)
        } catch {
            Socket.close(fd)
            throw error
        }
        let timeout = configuration.connectTimeout.components
        let nanoseconds = UInt64(max(0, timeout.seconds)) * 1_000_000_000 + UInt64(max(0, timeout.attoseconds) / 1_000_000_000)
        connectTimer = loop.schedule(after: nanoseconds) { [weak self] in
            guard let self, self.state == .connecting || self.state == .handshaking else { return }
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

    // MARK: Socket events

    func onReadable() {
        if state == .connecting {
            finishConnect()
            return
        }
        guard state != .closed else { return }
        while state != .closed {
            let result: IOResult
            do {
                result = try Socket.read(fd, into: &readBuffer, range: 0..<readBuffer.count)
            } catch {
                close(Status(code: .unavailable, message: "reading from \(endpoint) failed: \(error)"))
                return
            }
            switch result {
            case .bytes(let count):
                process(readBuffer[..<count])
            case .wouldBlock:
                flush()
                return
            case .closed:
                close(Status(code: .unavailable, message: "the server at \(endpoint) closed the connection"))
                return
            }
        }
        flush()
    }

    func onWritable() {
        switch state {
        case .connecting: finishConnect()
        case .closed: return
        case .handshaking, .ready: flush()
        }
    }

    private func finishConnect() {
        if let error = Socket.connectError(fd) {
            close(Status(code: .unavailable, message: "connecting to \(endpoint) failed: \(error)"))
            return
        }
        Socket.setNoDelay(fd)
        if let tls {
            state = .handshaking
            do {
                try tls.startHandshake()
            } catch {
                close(Status(code: .unavailable, message: "TLS handshake with \(endpoint) failed: \(error)"))
                return
            }
        } else {
            becomeReady()
        }
        flush()
    }

    private func becomeReady() {
        state = .ready
        if let timer = connectTimer {
            loop.cancel(timer)
            connectTimer = nil
        }
    }

    // MARK: Input

    private func process(_ bytes: ArraySlice<UInt8>) {
        if let tls {
            tls.receiveCiphertext(bytes)
            plainIn.removeAll(keepingCapacity: true)
            let open: Bool
            do {
                open = try tls.readPlaintext(into: &plainIn)
            } catch {
                // Send the alert OpenSSL queued (e.g. bad_certificate), then close.
                tls.takeCiphertext(into: &socketOut)
                writeSocket()
                let stage = state == .handshaking ? "TLS handshake with" : "TLS error on the connection to"
                close(Status(code: .unavailable, message: "\(stage) \(endpoint) failed: \(error)"))
                return
            }
            if state == .handshaking && tls.isHandshakeComplete {
                guard tls.negotiatedProtocol == "h2" else {
                    close(Status(code: .unavailable, message: "the server at \(endpoint) did not negotiate HTTP/2 (ALPN h2) over TLS"))
                    return
                }
                becomeReady()
            }
            if !plainIn.isEmpty { receiveHTTP2(plainIn[...]) }
            if !open && state != .closed {
                close(Status(code: .unavailable, message: "the server at \(endpoint) closed the TLS connection"))
            }
        } else {
            receiveHTTP2(bytes)
        }
    }

    private func receiveHTTP2(_ bytes: ArraySlice<UInt8>) {
        guard state != .closed else { return }
        do {
            try session.receive(bytes, events: &events)
        } catch {
            handleEvents()
            flush()
            close(Status(code: .unavailable, message: "HTTP/2 protocol error from \(endpoint): \(error)"))
            return
        }
        handleEvents()
    }

    private func handleEvents() {
        guard !events.isEmpty else { return }
        var batch: [HTTP2Event] = []
        swap(&batch, &events)
        for event in batch {
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
        batch.removeAll(keepingCapacity: true)
        if events.isEmpty { events = batch }
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
    func scheduleFlush() {
        guard !flushScheduled, state != .closed else { return }
        flushScheduled = true
        loop.afterIteration { [weak self] in
            guard let self else { return }
            self.flushScheduled = false
            self.flush()
        }
    }

    /// Moves the session's frames through TLS to the socket, as far as the socket takes them.
    func flush() {
        guard state != .closed else { return }
        if socketOut.count - socketOutOffset < Self.socketBufferLimit {
            do {
                if tls == nil {
                    try session.drainOutput(into: &socketOut, events: &events)
                } else {
                    try session.drainOutput(into: &plainOut, events: &events)
                }
            } catch {
                close(Status(code: .unavailable, message: "HTTP/2 error on the connection to \(endpoint): \(error)"))
                return
            }
            handleEvents()
            guard state != .closed else { return }
        }
        if let tls {
            do {
                if tls.isHandshakeComplete, !plainOut.isEmpty {
                    try tls.writePlaintext(plainOut[...])
                    plainOut.removeAll(keepingCapacity: true)
                }
            } catch {
                close(Status(code: .unavailable, message: "TLS error on the connection to \(endpoint): \(error)"))
                return
            }
            tls.takeCiphertext(into: &socketOut)
        }
        if state != .connecting { writeSocket() }
        if state != .closed && !session.wantsRead && !session.wantsWrite && socketOutOffset == socketOut.count {
            close(Status(code: .unavailable, message: "the connection to \(endpoint) ended"))
        }
    }

    private func writeSocket() {
        while socketOutOffset < socketOut.count {
            let result: IOResult
            do {
                result = try Socket.write(fd, socketOut[socketOutOffset...])
            } catch {
                close(Status(code: .unavailable, message: "writing to \(endpoint) failed: \(error)"))
                return
            }
            switch result {
            case .bytes(let count):
                socketOutOffset += count
            case .wouldBlock:
                watchWritable(true)
                return
            case .closed:
                close(Status(code: .unavailable, message: "the server at \(endpoint) closed the connection"))
                return
            }
        }
        socketOut.removeAll(keepingCapacity: socketOut.capacity <= 1 << 20)
        socketOutOffset = 0
        watchWritable(false)
    }

    private func watchWritable(_ writable: Bool) {
        guard writable != watchingWritable, state != .closed else { return }
        watchingWritable = writable
        try? loop.modify(fd: fd, readable: true, writable: writable)
    }

    // MARK: Closing

    /// Closes the socket and ends every call still on the connection with `status`.
    func close(_ status: Status) {
        guard state != .closed else { return }
        state = .closed
        if let timer = connectTimer {
            loop.cancel(timer)
            connectTimer = nil
        }
        loop.deregister(fd: fd)
        Socket.close(fd)
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
            flush()
            if let tls, state == .ready {
                tls.shutdown()  // close_notify
                tls.takeCiphertext(into: &socketOut)
                writeSocket()
            }
        }
        close(Status(code: .unavailable, message: "the channel was closed"))
    }
}
