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
    /// Debug text of the final GOAWAY of a drain (shutdown or connection age).
    private var drainReason = "server shutting down"
    /// The connection is being cut (see `terminate`): no new streams, no more input, closed at
    /// the end of this loop iteration.
    private var terminating = false

    // Keepalive: a PING after `keepaliveTime` without input, closed if nothing follows it.
    private var keepaliveTimer: TimerID? = nil
    private var lastInputAt: UInt64
    private var pingSentAt: UInt64? = nil
    // Maximum connection age: graceful GOAWAY, then a grace period for the calls still open.
    private var ageTimer: TimerID? = nil
    private var ageGraceTimer: TimerID? = nil
    /// Streams the client reset before the server answered them (rapid reset).
    private var resetBudget: StreamResetBudget
    /// Per-stream incidents (malformed or oversized headers) reported on this connection:
    /// capped, so that one client cannot flood the log.
    private var streamIncidentReports = 0
    private static let maxStreamIncidentReports = 10

    /// Process-unique; calls see it as ``ServerCallInfo/connectionID``.
    let connectionID: UInt64
    /// Request bytes the streams hold (see ``reserveRequestBytes(_:)``).
    private var bufferedRequestBytes = 0
    /// Streams whose writers wait for the connection's queued response bytes to fall.
    private var blockedWriters: Set<Int32> = []
    /// Streams that may need a request timer (see ``awaitBody(_:)``).
    private var awaitingBodies: [ServerStream] = []
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
        self.lastInputAt = idleSince
        self.resetBudget = StreamResetBudget(now: idleSince)
    }

    // MARK: Bounds

    /// Counts `bytes` more request bytes held by a stream of this connection, against the
    /// connection's and the server's bounds; the refusal, for a person, when over either.
    func reserveRequestBytes(_ bytes: Int, stream: Int32) -> String? {
        let limit = configuration.maxBufferedRequestBytesPerConnection
        if bufferedRequestBytes + bytes > limit {
            reportStreamIncident(
                .limitExceeded, stream: stream, "buffered request bytes over server.max_buffered_request_bytes_per_connection (\(limit))")
            return "this connection already holds \(bufferedRequestBytes) bytes of unfinished or unread requests;"
                + " \(bytes) more would pass the server's limit of \(limit) per connection"
                + " (server.max_buffered_request_bytes_per_connection)"
        }
        guard owner.budgets.reserveRequestBytes(bytes) else {
            let limit = owner.budgets.maxBufferedRequestBytes
            reportStreamIncident(.limitExceeded, stream: stream, "buffered request bytes over server.max_buffered_request_bytes (\(limit))")
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
        armKeepalive(at: lastInputAt.saturatingAdd(configuration.keepaliveTime.nanosecondsClamped))
        if let age = Self.jitteredAge(configuration.maxConnectionAge) {
            ageTimer = loop.schedule(after: age) { [weak self] in
                self?.ageTimer = nil
                self?.connectionAgeReached()
            }
        }
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
                lastInputAt = monotonicNanoseconds()
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
        guard !terminating else { return false }  // input is dropped: the connection is being cut
        receivedBytes += bytes.count
        do {
            try session.receive(bytes, events: &events)
        } catch {
            report(.protocolError, "HTTP/2 protocol error: \(error); the connection was closed")
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
            if closed { break }
            switch event {
            case .headers(let id, let fields, let endStream):
                if let stream = streams[id] {
                    stream.onHeaders(fields, endStream: endStream)
                } else if !terminating && (!draining || id <= session.lastProcessedStream) {
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
                let stream = streams.removeValue(forKey: id)
                countReset(stream: id, errorCode: errorCode, answered: stream?.responded ?? false)
                if let stream {
                    stream.onClosed(errorCode: errorCode)
                    if streams.isEmpty { idleSince = monotonicNanoseconds() }
                }
            case .goAway:
                break
            case .outboundDrained(let id):
                streams[id]?.onOutboundDrained()
            case .oversizedHeaders(let id, let size, let endStream):
                rejectOversizedHeaders(stream: id, size: size, endStream: endStream)
            case .malformedHeader(let id, let name, let reason):
                reportMalformedHeader(stream: id, name: name, reason: reason)
            case .connectionError(let errorCode, let reason):
                report(.protocolError, "\(reason); the connection was closed with GOAWAY error code \(errorCode)")
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
        if !awaitingBodies.isEmpty {
            // Requests whose body did not arrive with their headers get a request timer now; the
            // usual unary request (HEADERS and DATA read together) never needs one.
            let waiting = awaitingBodies
            awaitingBodies.removeAll(keepingCapacity: true)
            for stream in waiting { stream.armRequestTimerIfStillWaiting() }
        }
        if !closed { flush() }
    }

    /// `stream` waits for the rest of its request: arm its request timer at the end of this
    /// iteration unless the request is complete by then.
    func awaitBody(_ stream: ServerStream) {
        awaitingBodies.append(stream)
        scheduleFlush()
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
        if terminating {
            discardInput()
            close()
        } else if output.isEmpty && (closeAfterFlush || (!session.wantsRead && !session.wantsWrite)) {
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
    /// `reason` is the debug text of the final GOAWAY.
    func beginDrain(reason: String = "server shutting down") {
        guard !closed, !draining else { return }
        draining = true
        drainReason = reason
        session.submitShutdownNotice()
        flush()
        _ = loop.schedule(after: 1_000_000_000) { [weak self] in self?.sendFinalGoAway() }
    }

    /// Step 2 (one round trip later): the final GOAWAY with the last stream we will serve.
    private func sendFinalGoAway() {
        guard !closed, !finalGoAwaySent else { return }
        finalGoAwaySent = true
        session.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: drainReason)
        flush()
    }

    /// The drain timeout passed: cancel what is still running and close.
    func forceClose(reason: String = "server shut down") {
        guard !closed else { return }
        for stream in streams.values { stream.abort() }
        if !finalGoAwaySent {
            finalGoAwaySent = true
            session.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: reason)
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
        if let timer = keepaliveTimer { loop.cancel(timer); keepaliveTimer = nil }
        if let timer = ageTimer { loop.cancel(timer); ageTimer = nil }
        if let timer = ageGraceTimer { loop.cancel(timer); ageGraceTimer = nil }
        let remaining = streams
        streams.removeAll()
        for stream in remaining.values { stream.onClosed(errorCode: HTTP2ErrorCode.cancel) }
        loop.deregister(fd: fd)
        Socket.close(fd)
        owner.connectionClosed(self)
    }
}

// MARK: Bounds: keepalive, connection age, resets, oversized and malformed headers

extension ServerConnection {
    /// Reports something the transport refused or cut off (``ServerConfiguration/onIncident``,
    /// through the loop's throttle).
    private func report(_ kind: TransportIncident.Kind, stream: Int32 = 0, _ detail: String) {
        owner.report(kind, peer: peer, stream: stream, detail)
    }

    /// Like `report`, for incidents a client can cause once per stream: the first
    /// `maxStreamIncidentReports` of a connection are reported, the rest only counted.
    func reportStreamIncident(_ kind: TransportIncident.Kind, stream: Int32, _ detail: String) {
        streamIncidentReports += 1
        if streamIncidentReports < Self.maxStreamIncidentReports {
            report(kind, stream: stream, detail)
        } else if streamIncidentReports == Self.maxStreamIncidentReports {
            report(kind, stream: stream, detail + " (further stream incidents on this connection are not reported)")
        }
    }

    /// Cuts the connection: GOAWAY(`errorCode`) queued, input dropped, no new streams; it is
    /// closed at the end of this loop iteration whether or not the peer reads the GOAWAY.
    private func terminate(errorCode: UInt32, debug: String) {
        guard !closed, !terminating else { return }
        terminating = true
        session.submitGoAway(errorCode: errorCode, debug: debug)
        scheduleFlush()
    }

    /// Reads and drops what the peer already sent, so that closing sends FIN, not RST (a RST
    /// can make the peer's kernel drop the GOAWAY it has not read yet).
    private func discardInput() {
        for _ in 0..<16 {
            guard case .bytes? = try? Socket.read(fd, into: &owner.readBuffer, range: 0..<owner.readBuffer.count) else {
                return
            }
        }
    }

    // MARK: Keepalive

    fileprivate func armKeepalive(at deadline: UInt64) {
        keepaliveTimer = loop.schedule(atMonotonic: deadline) { [weak self] in
            self?.keepaliveTimer = nil
            self?.checkKeepalive()
        }
    }

    /// `keepaliveTime` without input: PING. Nothing within `keepaliveTimeout` after it (any
    /// byte counts, the PING ACK or anything else): the peer is gone, close. This holds with
    /// streams open too (a stream that never sends must not keep a dead connection).
    private func checkKeepalive() {
        guard !closed, !terminating else { return }
        let now = monotonicNanoseconds()
        let timeout = configuration.keepaliveTimeout.nanosecondsClamped
        if let sentAt = pingSentAt, lastInputAt <= sentAt {
            if now &- sentAt >= timeout {
                report(
                    .timeout,
                    "nothing arrived within \(configuration.keepaliveTimeout) of a keepalive PING (keepalive_timeout); "
                        + "the connection was closed")
                terminate(errorCode: HTTP2ErrorCode.noError, debug: "keepalive timeout")
            } else {
                armKeepalive(at: sentAt.saturatingAdd(timeout))
            }
            return
        }
        pingSentAt = nil
        let time = configuration.keepaliveTime.nanosecondsClamped
        if now &- lastInputAt >= time {
            session.submitPing()
            pingSentAt = now
            scheduleFlush()
            armKeepalive(at: now.saturatingAdd(timeout))
        } else {
            armKeepalive(at: lastInputAt.saturatingAdd(time))
        }
    }

    // MARK: Connection age

    /// `maxConnectionAge` ±10 %, so that connections opened together do not all go away
    /// together; nil when it is too long to ever matter.
    fileprivate static func jitteredAge(_ age: Duration) -> UInt64? {
        let nanoseconds = age.nanosecondsClamped
        guard nanoseconds < UInt64(1) << 62 else { return nil }
        return UInt64(Double(nanoseconds) * Double.random(in: 0.9...1.1))
    }

    /// The connection is old enough: drain it as a shutdown does (GOAWAY notice, the final
    /// GOAWAY a round trip later), and cancel what is still open after the grace period.
    fileprivate func connectionAgeReached() {
        guard !closed, !draining else { return }
        beginDrain(reason: "max connection age")
        ageGraceTimer = loop.schedule(after: configuration.maxConnectionAgeGrace.nanosecondsClamped) { [weak self] in
            guard let self else { return }
            self.ageGraceTimer = nil
            guard !self.closed else { return }
            if !self.streams.isEmpty {
                self.report(
                    .timeout,
                    "the connection reached its maximum age (max_connection_age) and \(self.streams.count) call(s) were "
                        + "still open after the grace period of \(self.configuration.maxConnectionAgeGrace) "
                        + "(max_connection_age_grace); they were cancelled with UNAVAILABLE")
            }
            self.forceClose(reason: "max connection age")
        }
    }

    // MARK: Streams the client resets (rapid reset)

    /// A stream closed: one that ended with an error before the server answered it (the
    /// client's RST_STREAM, or a reset for a malformed request) spends from the connection's
    /// budget; an empty budget cuts the connection with GOAWAY ENHANCE_YOUR_CALM.
    fileprivate func countReset(stream: Int32, errorCode: UInt32, answered: Bool) {
        guard errorCode != HTTP2ErrorCode.noError, errorCode != HTTP2ErrorCode.refusedStream, !answered, !terminating
        else { return }
        guard !resetBudget.spend(now: monotonicNanoseconds()) else { return }
        report(
            .limitExceeded, stream: stream,
            "more than \(StreamResetBudget.burst) streams (or \(StreamResetBudget.perSecond) a second) were reset before "
                + "the server answered them (rapid reset); the connection was closed with GOAWAY ENHANCE_YOUR_CALM")
        terminate(errorCode: HTTP2ErrorCode.enhanceYourCalm, debug: "too many streams reset before their response")
    }

    // MARK: Headers the session would not keep

    /// A header block over SETTINGS_MAX_HEADER_LIST_SIZE: the stream gets RESOURCE_EXHAUSTED.
    fileprivate func rejectOversizedHeaders(stream id: Int32, size: Int, endStream: Bool) {
        let limit = Int(configuration.maxHeaderListSize)
        reportStreamIncident(
            .limitExceeded, stream: id,
            "request headers are \(size) bytes, over the limit of \(limit) bytes (max_header_list_size); "
                + "answered RESOURCE_EXHAUSTED")
        if let stream = streams[id] {
            stream.rejectOversizedHeaders(size: size, limit: limit, endStream: endStream)
        } else if !terminating && (!draining || id <= session.lastProcessedStream) {
            let stream = ServerStream(id: id, connection: self)
            streams[id] = stream
            stream.rejectOversizedHeaders(size: size, limit: limit, endStream: endStream)
        }
    }

    /// nghttp2 resets the stream (PROTOCOL_ERROR); the log says which header and why.
    fileprivate func reportMalformedHeader(stream: Int32, name: String, reason: String) {
        reportStreamIncident(
            .malformedHeader, stream: stream,
            "header '\(name)' is malformed: \(reason) (RFC 9113 §8.2.1); the stream was reset with PROTOCOL_ERROR")
    }
}

extension UInt64 {
    fileprivate func saturatingAdd(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
