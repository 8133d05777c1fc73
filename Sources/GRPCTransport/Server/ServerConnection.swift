internal import HTTP2
internal import Posix
internal import RPC
internal import TLS

/// One accepted connection: its ``ConnectionPump`` (socket ⇄ [TLS] ⇄ HTTP2Session ⇄ write
/// queue) and what is the server's: the ServerStreams, keepalive, connection age, idle and
/// handshake timers, drain (GOAWAY), the rapid-reset budget, request and response budgets,
/// the response-stall timer and incidents.
///
/// Owned by one event loop; every method runs on that loop's thread.
final class ServerConnection: ConnectionPumpOwner, IterationEndHandler {
    let loop: EventLoop
    let session: HTTP2Session
    let configuration: ServerConfiguration
    let router: Router
    let peer: String
    private(set) var peerCertificateSubject: String? = nil
    unowned let owner: ServerLoop
    private var pump: ConnectionPump<ServerConnection>!

    private var streams: [Int32: ServerStream] = [:]
    private var closed: Bool { pump.isClosed }
    /// Close once the write queue is empty (idle timeout, the peer's TLS close_notify).
    private var closeAfterFlush = false

    private var handshakeTimer: TimerID? = nil
    private var idleTimer: TimerID? = nil
    private var idleSince: UInt64
    private var draining = false
    private var finalGoAwaySent = false
    /// Debug text of the final GOAWAY of a drain (shutdown or connection age).
    private var drainReason = "server shutting down"
    /// The connection is being cut (see `terminate`): no new streams, no more input, closed at
    /// the end of this loop iteration.
    private var terminating = false

    // Keepalive: a PING after `keepaliveTime` without input, closed if nothing follows it.
    private var keepaliveTimer: TimerID? = nil
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

    init(fd: Int32, peer: String, tls: TLSConnection?, owner: ServerLoop) throws {
        self.peer = peer
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
        self.resetBudget = StreamResetBudget(now: idleSince)
        self.pump = ConnectionPump(
            fd: fd, loop: loop, session: session, tls: tls, readBuffer: owner.readBuffer,
            outputHighWater: 1 << 20, owner: self)
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
        try pump.register()
        handshakeTimer = loop.schedule(after: configuration.handshakeTimeout.nanosecondsClamped) { [weak self] in
            self?.handshakeTimer = nil
            self?.close()
        }
        armIdleTimer(after: configuration.idleTimeout.nanosecondsClamped)
        armKeepalive(at: pump.lastInputAt.saturatingAdd(configuration.keepaliveTime.nanosecondsClamped))
        if let age = Self.jitteredAge(configuration.maxConnectionAge) {
            ageTimer = loop.schedule(after: age) { [weak self] in
                self?.ageTimer = nil
                self?.connectionAgeReached()
            }
        }
        scheduleFlush()
    }

    // MARK: ConnectionPumpOwner

    func pumpEstablished() {
        peerCertificateSubject = pump.tls?.peerCertificateSubject
    }

    func pumpFailed(_ failure: ConnectionPumpFailure) {
        switch failure {
        case .closeNotify:
            closeAfterFlush = true
            pump.scheduleFlush()
        case .protocolError(let error):
            report(.protocolError, "HTTP/2 protocol error: \(error); the connection was closed")
            close()
        default:
            close()
        }
    }

    func pumpHandle(_ events: [HTTP2Event]) {
        if let timer = handshakeTimer, pump.receivedBytes >= 24, pump.tls?.isHandshakeComplete ?? true {
            loop.cancel(timer)
            handshakeTimer = nil
        }
        for event in events {
            if closed { break }
            switch event {
            case .headers(let id, let fields, let endStream):
                stream(opening: id)?.onHeaders(fields, endStream: endStream)
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
    }

    /// Stream `id`, new if the connection still takes streams (not being cut, and when draining
    /// only up to the last stream the final GOAWAY will name); nil when it does not.
    private func stream(opening id: Int32) -> ServerStream? {
        if let stream = streams[id] { return stream }
        guard !terminating && (!draining || id <= session.lastProcessedStream) else { return nil }
        let stream = ServerStream(id: id, connection: self)
        streams[id] = stream
        return stream
    }

    /// After every flush: writers waiting for the queued response bytes to fall, the stall
    /// timer, and whether the connection is done.
    func pumpFlushed() {
        resumeBlockedWriters()
        if session.queuedOutboundBytes > 0 { armStallTimer() }
        if terminating {
            pump.discardPendingInput()
            close()
        } else if pump.isOutputWritten && (closeAfterFlush || (!session.wantsRead && !session.wantsWrite)) {
            close()
        } else if draining && finalGoAwaySent && streams.isEmpty && pump.isOutputWritten {
            close()
        }
    }

    // MARK: Output

    /// Asks for a flush at the end of this loop iteration.
    func scheduleFlush() { pump.scheduleFlush() }

    /// `stream` waits for the rest of its request: arm its request timer at the end of this
    /// iteration unless the request is complete by then (the usual unary request, HEADERS and
    /// DATA read together, never needs one).
    func awaitBody(_ stream: ServerStream) {
        if awaitingBodies.isEmpty { loop.afterIteration(notify: self) }
        awaitingBodies.append(stream)
    }

    func onIterationEnd() {
        let waiting = awaitingBodies
        awaitingBodies.removeAll(keepingCapacity: true)
        for stream in waiting { stream.armRequestTimerIfStillWaiting() }
    }

    /// Resets a stream once the frames queued before it (its trailers) have left the session.
    func resetAfterFlush(_ stream: Int32, errorCode: UInt32) { pump.resetAfterFlush(stream, errorCode: errorCode) }

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
            pump.flush()
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
        pump.flush()
        _ = loop.schedule(after: 1_000_000_000) { [weak self] in self?.sendFinalGoAway() }
    }

    /// Step 2 (one round trip later): the final GOAWAY with the last stream we will serve.
    private func sendFinalGoAway() {
        guard !closed, !finalGoAwaySent else { return }
        finalGoAwaySent = true
        session.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: drainReason)
        pump.flush()
    }

    /// The drain timeout passed: cancel what is still running and close.
    func forceClose(reason: String = "server shut down") {
        guard !closed else { return }
        for stream in streams.values { stream.abort() }
        if !finalGoAwaySent {
            finalGoAwaySent = true
            session.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: reason)
        }
        pump.flush()
        close()
    }

    func close() {
        guard !closed else { return }
        pump.close()
        if let timer = handshakeTimer { loop.cancel(timer); handshakeTimer = nil }
        if let timer = idleTimer { loop.cancel(timer); idleTimer = nil }
        if let timer = stallTimer { loop.cancel(timer); stallTimer = nil }
        if let timer = keepaliveTimer { loop.cancel(timer); keepaliveTimer = nil }
        if let timer = ageTimer { loop.cancel(timer); ageTimer = nil }
        if let timer = ageGraceTimer { loop.cancel(timer); ageGraceTimer = nil }
        let remaining = streams
        streams.removeAll()
        for stream in remaining.values { stream.onClosed(errorCode: HTTP2ErrorCode.cancel) }
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
        pump.stopInput()
        session.submitGoAway(errorCode: errorCode, debug: debug)
        scheduleFlush()
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
        if let sentAt = pingSentAt, pump.lastInputAt <= sentAt {
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
        if now &- pump.lastInputAt >= time {
            session.submitPing()
            pingSentAt = now
            scheduleFlush()
            armKeepalive(at: now.saturatingAdd(timeout))
        } else {
            armKeepalive(at: pump.lastInputAt.saturatingAdd(time))
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
        stream(opening: id)?.rejectOversizedHeaders(size: size, limit: limit, endStream: endStream)
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
