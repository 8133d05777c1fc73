internal import HTTP2
internal import Posix
internal import RPC
internal import TLS

/// One accepted connection: socket ⇄ [TLSConnection] ⇄ HTTP2Session ⇄ ServerStreams.
///
/// Owned by one event loop; every method runs on that loop's thread. Reads feed the session
/// as they arrive; writes are flushed once per loop iteration (`afterIteration`), and a
/// socket that would block gets EPOLLOUT interest until its backlog is written.
final class ServerConnection: EventHandler, IterationEndHandler {
    let fd: Int32
    let loop: EventLoop
    let session: HTTP2Session
    let configuration: ServerConfiguration
    let router: Router
    let peer: String
    private(set) var peerCertificateSubject: String? = nil
    unowned let owner: ServerLoop
    private let tls: TLSConnection?

    private var streams: [Int32: ServerStream] = [:]
    private var events: [HTTP2Event] = []
    private var plaintext: [UInt8] = []
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var writeInterest = false
    private var flushScheduled = false
    private var closed = false
    private var pendingResets: [(Int32, UInt32)] = []

    private var handshakeTimer: TimerID? = nil
    private var idleTimer: TimerID? = nil
    private var idleSince: UInt64
    private var receivedBytes = 0
    private var draining = false
    private var finalGoAwaySent = false

    /// Process-unique; calls see it as ``ServerCallInfo/connectionID``.
    let connectionID: UInt64
    /// Request bytes the streams hold (see ``reserveRequestBytes(_:)``).
    private var bufferedRequestBytes = 0
    /// Streams whose writers wait for the connection's queued response bytes to fall.
    private var blockedWriters: Set<Int32> = []
    private var stallTimer: TimerID? = nil

    /// Bytes of unsent output above which the session is not asked for more frames.
    private static let outputHighWater = 1 << 20

    init(fd: Int32, peer: String, tls: TLSConnection?, owner: ServerLoop) throws {
        self.fd = fd
        self.peer = peer
        self.tls = tls
        self.owner = owner
        self.loop = owner.loop
        self.configuration = owner.configuration
        self.router = owner.router
        var settings = HTTP2Settings()
        settings.maxConcurrentStreams = configuration.maxConcurrentStreams
        settings.maxHeaderListSize = configuration.maxHeaderListSize
        settings.initialWindowSize = configuration.initialWindowSize
        settings.connectionWindowSize = max(configuration.initialWindowSize, 16 << 20)
        self.session = try HTTP2Session(role: .server, settings: settings)
        session.outboundLowWaterMark = configuration.outboundHighWaterMark / 2
        self.idleSince = monotonicNanoseconds()
        self.connectionID = owner.budgets.makeConnectionID()
    }

    // MARK: Bounds

    /// Counts `bytes` more request bytes held by a stream of this connection, against the
    /// connection's and the server's bounds; the refusal, for a person, when over either.
    func reserveRequestBytes(_ bytes: Int) -> String? {
        let limit = configuration.maxBufferedRequestBytesPerConnection
        if bufferedRequestBytes + bytes > limit {
            report(.limitExceeded, "buffered request bytes over server.max_buffered_request_bytes_per_connection (\(limit))")
            return "this connection already holds \(bufferedRequestBytes) bytes of unfinished or unread requests;"
                + " \(bytes) more would pass the server's limit of \(limit) per connection"
                + " (server.max_buffered_request_bytes_per_connection)"
        }
        guard owner.budgets.reserveRequestBytes(bytes) else {
            let limit = owner.budgets.maxBufferedRequestBytes
            report(.limitExceeded, "buffered request bytes over server.max_buffered_request_bytes (\(limit))")
            return "the server already holds its limit of \(limit) bytes of unfinished or unread requests"
                + " (server.max_buffered_request_bytes); retry shortly"
        }
        bufferedRequestBytes += bytes
        return nil
    }

    func releaseRequestBytes(_ bytes: Int) {
        bufferedRequestBytes -= bytes
        owner.budgets.releaseRequestBytes(bytes)
    }

    /// A writer of `stream` waits for queued response bytes to fall.
    func writerBlocked(_ stream: Int32) {
        blockedWriters.insert(stream)
        armStallTimer()
    }

    /// Tells the server's incident hook (the log) what was refused or cut off.
    func report(_ kind: TransportIncident.Kind, stream: Int32 = 0, _ detail: String) {
        configuration.onIncident?(TransportIncident(kind: kind, peer: peer, stream: stream, detail: detail))
    }

    /// While responses are queued, checks every few seconds for streams whose client reads nothing.
    private func armStallTimer() {
        guard stallTimer == nil, !closed else { return }
        let period = max(configuration.responseStallTimeout.nanosecondsClamped / 4, 10_000_000)
        stallTimer = loop.schedule(after: period) { [weak self] in
            guard let self else { return }
            self.stallTimer = nil
            self.checkStalls()
        }
    }

    private func checkStalls() {
        guard !closed, session.queuedOutboundBytes > 0 else { return }
        let now = monotonicNanoseconds()
        var cut = false
        for stream in Array(streams.values) where stream.checkStall(now: now) { cut = true }
        if cut { scheduleFlush() }
        if session.queuedOutboundBytes > 0 { armStallTimer() }
    }

    private func resumeBlockedWriters() {
        guard !blockedWriters.isEmpty,
            session.queuedOutboundBytes <= configuration.maxQueuedResponseBytesPerConnection
        else { return }
        let waiting = blockedWriters
        blockedWriters.removeAll()
        for id in waiting {
            guard let stream = streams[id] else { continue }
            stream.resumeWritersIfBelowMark()
            if stream.hasWaitingWriters { blockedWriters.insert(id) }
        }
    }

    /// Registers the socket, queues the server SETTINGS and starts the handshake and idle timers.
    func start() throws {
        try loop.register(fd: fd, handler: self, readable: true, writable: false)
        handshakeTimer = loop.schedule(after: configuration.handshakeTimeout.nanosecondsClamped) { [weak self] in
            self?.handshakeTimer = nil
            self?.close()
        }
        armIdleTimer(after: configuration.idleTimeout.nanosecondsClamped)
        scheduleFlush()
    }

    // MARK: EventHandler

    func onReadable() {
        guard !closed else { return }
        for _ in 0..<8 {
            let result: IOResult
            do {
                result = try Socket.read(fd, into: &owner.readBuffer, range: 0..<owner.readBuffer.count)
            } catch {
                close()
                return
            }
            switch result {
            case .bytes(let count):
                guard process(owner.readBuffer[0..<count]) else { return }
                if count < owner.readBuffer.count { scheduleFlush(); return }
            case .wouldBlock:
                scheduleFlush()
                return
            case .closed:
                close()
                return
            }
        }
        scheduleFlush()
    }

    func onWritable() {
        guard !closed else { return }
        flush()
    }

    // MARK: Input

    /// Feeds bytes read from the socket through TLS and nghttp2; false once the connection closed.
    private func process(_ bytes: ArraySlice<UInt8>) -> Bool {
        if let tls {
            tls.receiveCiphertext(bytes)
            plaintext.removeAll(keepingCapacity: true)
            let open: Bool
            do {
                open = try tls.readPlaintext(into: &plaintext)
            } catch {
                // The handshake failed (no ALPN h2, bad ClientHello): send the alert, then close.
                var alert: [UInt8] = []
                tls.takeCiphertext(into: &alert)
                if !alert.isEmpty { _ = try? Socket.write(fd, alert[...]) }
                close()
                return false
            }
            if tls.isHandshakeComplete && peerCertificateSubject == nil {
                peerCertificateSubject = tls.peerCertificateSubject
            }
            if !plaintext.isEmpty {
                let input = plaintext
                guard receiveHTTP2(input[...]) else { return false }
            }
            if !open {
                scheduleFlush()
                closeAfterFlush = true
            }
            return true
        }
        return receiveHTTP2(bytes)
    }

    private var closeAfterFlush = false

    private func receiveHTTP2(_ bytes: ArraySlice<UInt8>) -> Bool {
        receivedBytes += bytes.count
        do {
            try session.receive(bytes, events: &events)
        } catch {
            handle(events: &events)
            flush()
            close()
            return false
        }
        if handshakeTimer != nil && receivedBytes >= 24, tls == nil || tls!.isHandshakeComplete {
            loop.cancel(handshakeTimer!)
            handshakeTimer = nil
        }
        handle(events: &events)
        return !closed
    }

    private func handle(events: inout [HTTP2Event]) {
        guard !events.isEmpty else { return }
        for event in events {
            switch event {
            case .headers(let id, let fields, let endStream):
                if let stream = streams[id] {
                    stream.onHeaders(fields, endStream: endStream)
                } else if !draining || id <= session.lastProcessedStream {
                    let stream = ServerStream(id: id, connection: self)
                    streams[id] = stream
                    stream.onHeaders(fields, endStream: endStream)
                }
            case .data(let id, let bytes):
                if let stream = streams[id] {
                    stream.onData(bytes)
                } else {
                    session.consumeConnectionOnly(bytes: bytes.count)
                }
            case .endStream(let id):
                streams[id]?.onEndStream()
            case .streamClosed(let id, let errorCode):
                if let stream = streams.removeValue(forKey: id) {
                    stream.onClosed(errorCode: errorCode)
                    if streams.isEmpty { idleSince = monotonicNanoseconds() }
                }
            case .goAway:
                break
            case .outboundDrained(let id):
                streams[id]?.onOutboundDrained()
            }
        }
        events.removeAll(keepingCapacity: true)
    }

    // MARK: Output

    /// Asks for a flush at the end of this loop iteration.
    func scheduleFlush() {
        guard !flushScheduled, !closed else { return }
        flushScheduled = true
        loop.afterIteration(notify: self)
    }

    func onIterationEnd() {
        flushScheduled = false
        if !closed { flush() }
    }

    /// Resets a stream once the frames queued before it (its trailers) have left the session.
    func resetAfterFlush(_ stream: Int32, errorCode: UInt32) {
        pendingResets.append((stream, errorCode))
        scheduleFlush()
    }

    private func flush() {
        do {
            for _ in 0..<4 {
                try pullFromSession()
                if pendingResets.isEmpty { break }
                let resets = pendingResets
                pendingResets.removeAll()
                for (stream, code) in resets {
                    session.resetAfterQueuedFrames(stream, errorCode: code)
                }
            }
        } catch {
            close()
            return
        }
        writeOutput()
        if closed { return }
        resumeBlockedWriters()
        if session.queuedOutboundBytes > 0 { armStallTimer() }
        if output.isEmpty && (closeAfterFlush || (!session.wantsRead && !session.wantsWrite)) {
            close()
        } else if draining && finalGoAwaySent && streams.isEmpty && output.isEmpty {
            close()
        }
    }

    private func pullFromSession() throws {
        while output.count - outputOffset < Self.outputHighWater {
            let before = output.count
            if let tls {
                plaintext.removeAll(keepingCapacity: true)
                try session.drainOutput(into: &plaintext, events: &events)
                if !plaintext.isEmpty { try tls.writePlaintext(plaintext[...]) }
                tls.takeCiphertext(into: &output)
            } else {
                try session.drainOutput(into: &output, events: &events)
            }
            let hadEvents = !events.isEmpty
            handle(events: &events)
            if closed { return }
            if output.count == before && !hadEvents { return }
            if output.count == before && !session.wantsWrite { return }
        }
    }

    private func writeOutput() {
        while outputOffset < output.count {
            let result: IOResult
            do {
                result = try Socket.write(fd, output[outputOffset...])
            } catch {
                close()
                return
            }
            switch result {
            case .bytes(let count):
                outputOffset += count
            case .wouldBlock:
                setWriteInterest(true)
                return
            case .closed:
                close()
                return
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 4 << 20)
        outputOffset = 0
        setWriteInterest(false)
        if session.wantsWrite && !flushScheduled {
            // More frames became sendable (the high-water mark stopped us): go again next iteration.
            scheduleFlush()
        }
    }

    private func setWriteInterest(_ wanted: Bool) {
        guard wanted != writeInterest else { return }
        writeInterest = wanted
        try? loop.modify(fd: fd, readable: true, writable: wanted)
    }

    // MARK: Timers, shutdown, close

    private func armIdleTimer(after nanoseconds: UInt64) {
        idleTimer = loop.schedule(after: nanoseconds) { [weak self] in
            self?.idleTimer = nil
            self?.checkIdle()
        }
    }

    private func checkIdle() {
        guard !closed else { return }
        let limit = configuration.idleTimeout.nanosecondsClamped
        let now = monotonicNanoseconds()
        if streams.isEmpty && now &- idleSince >= limit {
            session.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: "idle timeout")
            closeAfterFlush = true
            flush()
        } else {
            let elapsed = streams.isEmpty ? now &- idleSince : 0
            armIdleTimer(after: max(limit &- elapsed, 1_000_000))
        }
    }

    /// Graceful shutdown, step 1: GOAWAY(2^31-1) so the client stops opening streams.
    func beginDrain() {
        guard !closed, !draining else { return }
        draining = true
        session.submitShutdownNotice()
        flush()
        _ = loop.schedule(after: 1_000_000_000) { [weak self] in self?.sendFinalGoAway() }
    }

    /// Step 2 (one round trip later): the final GOAWAY with the last stream we will serve.
    private func sendFinalGoAway() {
        guard !closed, !finalGoAwaySent else { return }
        finalGoAwaySent = true
        session.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: "server shutting down")
        flush()
    }

    /// The drain timeout passed: cancel what is still running and close.
    func forceClose() {
        guard !closed else { return }
        for stream in streams.values { stream.abort() }
        if !finalGoAwaySent {
            finalGoAwaySent = true
            session.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: "server shut down")
        }
        flush()
        close()
    }

    func close() {
        guard !closed else { return }
        closed = true
        if let timer = handshakeTimer { loop.cancel(timer); handshakeTimer = nil }
        if let timer = idleTimer { loop.cancel(timer); idleTimer = nil }
        if let timer = stallTimer { loop.cancel(timer); stallTimer = nil }
        let remaining = streams
        streams.removeAll()
        for stream in remaining.values { stream.onClosed(errorCode: HTTP2ErrorCode.cancel) }
        loop.deregister(fd: fd)
        Socket.close(fd)
        owner.connectionClosed(self)
    }
}
