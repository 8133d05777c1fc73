internal import HTTP2
internal import Posix
internal import RPC

/// One client call's HTTP/2 stream, on the channel's event loop: it submits the request,
/// turns response header blocks, DATA and resets into the call's ``CallInbox``, owns the
/// deadline timer and parks senders while the stream's outbound queue is full.
///
/// ```
///  created ──start──► open ──trailers / reset / deadline / cancel / connection lost──► done
///     └── invalid metadata / channel closed / cannot connect / deadline already passed ──┘
/// ```
///
/// Created on the caller's thread; every mutable field is touched only on the channel's loop
/// thread after that (`@unchecked Sendable` so the call can carry it there).
final class ClientStream: @unchecked Sendable {
    enum Phase {
        case created
        case open
        case done
    }

    let path: String
    let metadata: Metadata
    let encoding: MessageEncoding
    /// The deadline on the monotonic clock, nanoseconds; nil for none.
    let deadline: UInt64?
    let inbox: CallInbox
    let maxReceiveMessageSize: Int

    private(set) var phase = Phase.created
    /// How the call ended, once it did.
    private var finalStatus: Status? = nil
    /// Whether END_STREAM (or RST_STREAM) went out on the request side.
    private var requestEnded = false
    /// The whole framed request of a call sent in one piece (unary), kept so a call the server
    /// never processed can be retried once on a new connection (gRPC "transparent retry").
    private(set) var wholeRequest: [UInt8]? = nil
    private var retried = false
    var id: Int32 = 0
    /// The connection the stream lives on (the connection owns the stream table).
    var connection: ClientConnection?

    private var deframer: MessageDeframer? = nil
    private var sawResponseHeaders = false
    /// Senders parked until the outbound queue drains (several if tasks send concurrently).
    private var sendWaiters: [CheckedContinuation<Void, any Error>] = []
    private var deadlineTimer: TimerID? = nil
    /// DATA bytes received but not yet returned to the flow-control window.
    private var unconsumedBytes = 0
    private var windowHeld = false
    private var scratch: [ReceivedMessage] = []

    /// The outbound queue size above which ``ClientCall/send(_:compress:)`` suspends.
    static let sendHighWaterMark = 256 * 1024

    init(path: String, metadata: Metadata, encoding: MessageEncoding, deadline: UInt64?, inbox: CallInbox,
         maxReceiveMessageSize: Int) {
        self.path = path
        self.metadata = metadata
        self.encoding = encoding
        self.deadline = deadline
        self.inbox = inbox
        self.maxReceiveMessageSize = maxReceiveMessageSize
    }

    // MARK: Starting

    /// The request headers, with `grpc-timeout` computed from the deadline at `now`.
    func requestHeaders(configuration: ChannelConfiguration, now: UInt64) -> [HeaderField] {
        var headers: [HeaderField] = [
            HeaderField(":method", "POST"),
            HeaderField(":scheme", configuration.tls == nil ? "http" : "https"),
            HeaderField(":path", path),
            HeaderField(":authority", configuration.authority),
            HeaderField("content-type", "application/grpc"),
            HeaderField("te", "trailers"),
            HeaderField("user-agent", configuration.userAgent),
            HeaderField("grpc-accept-encoding", MessageEncoding.acceptEncodingHeaderValue),
        ]
        if encoding != .identity { headers.append(HeaderField("grpc-encoding", encoding.headerValue)) }
        if let deadline {
            let remaining = deadline > now ? deadline - now : 1
            headers.append(HeaderField("grpc-timeout", GRPCTimeout.format(nanoseconds: remaining)))
        }
        MetadataCoding.encode(metadata, into: &headers)
        return headers
    }

    /// Marks the stream open as `id` and arms the deadline timer.
    func opened(id: Int32, on connection: ClientConnection, loop: EventLoop, now: UInt64, wholeRequest: [UInt8]?) {
        self.id = id
        self.connection = connection
        self.wholeRequest = wholeRequest
        phase = .open
        if let deadline {
            deadlineTimer = loop.schedule(after: deadline > now ? deadline - now : 0) { [self] in
                deadlineTimer = nil
                terminate(Status(code: .deadlineExceeded, message: "the call's deadline passed before the server answered"))
            }
        }
    }

    /// Whether the call can start over on another connection: the server refused it
    /// (REFUSED_STREAM, or GOAWAY below its id) before sending anything, the whole request is
    /// known, and it was not retried already.
    var canRetryTransparently: Bool {
        phase == .open && !sawResponseHeaders && wholeRequest != nil && !retried
    }

    /// Back to `created`, off its connection, ready for ``ChannelCore/start(_:initialMessage:endStream:)``.
    func prepareRetry() {
        retried = true
        if let timer = deadlineTimer, let loop = connection?.loop { loop.cancel(timer) }
        deadlineTimer = nil
        connection = nil
        id = 0
        requestEnded = false
        unconsumedBytes = 0
        windowHeld = false
        phase = .created
    }

    /// Whether the deadline passed already (checked before opening a stream).
    func deadlinePassed(now: UInt64) -> Bool {
        guard let deadline else { return false }
        return now >= deadline
    }

    // MARK: Sending

    /// Queues framed bytes; `waiter` resumes at once or when the outbound queue drains.
    func send(_ framed: [UInt8], endStream: Bool, waiter: CheckedContinuation<Void, any Error>?) {
        guard phase == .open, let connection else {
            waiter?.resume(throwing: endedError())
            return
        }
        guard !requestEnded else {
            waiter?.resume(throwing: RPCError(.failedPrecondition, "cannot send: the request side was already closed"))
            return
        }
        connection.session.sendData(stream: id, bytes: framed, endStream: endStream)
        if endStream { requestEnded = true }
        connection.scheduleFlush()
        guard let waiter else { return }
        if connection.session.bufferedOutboundBytes(stream: id) > Self.sendHighWaterMark {
            sendWaiters.append(waiter)
        } else {
            waiter.resume()
        }
    }

    /// Records that the request headers carried END_STREAM.
    func markRequestEnded() { requestEnded = true }

    /// The error a send after the end reports: the call's status, or FAILED_PRECONDITION after OK.
    private func endedError() -> RPCError {
        if let finalStatus, finalStatus.code != .ok { return RPCError(status: finalStatus) }
        return RPCError(.failedPrecondition, "cannot send: the call has already ended")
    }

    func outboundDrained() {
        guard !sendWaiters.isEmpty else { return }
        let waiters = sendWaiters
        sendWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Receiving (events from the connection)

    func receiveHeaders(_ fields: [HeaderField], endStream: Bool) {
        guard phase == .open else { return }
        if sawResponseHeaders {
            // Trailers.
            let (status, trailers) = ClientResponseHead.parseTrailers(fields)
            finishFromServer(status, trailers: trailers)
            return
        }
        sawResponseHeaders = true
        switch ClientResponseHead.parseHeaders(fields, endStream: endStream) {
        case .headers(let metadata, let encoding):
            deframer = MessageDeframer(maxMessageSize: maxReceiveMessageSize, encoding: encoding)
            inbox.deliverHeaders(metadata)
            if endStream {
                finishFromServer(Status(code: .internal, message: "the server ended the stream without trailers"), trailers: [:])
            }
        case .trailersOnly(let status, let metadata):
            finishFromServer(status, trailers: metadata)
        case .invalid(let status):
            terminate(status)
        }
    }

    func receiveData(_ bytes: [UInt8]) {
        guard let connection else { return }
        guard phase == .open, var deframer else {
            connection.session.consume(stream: id, bytes: bytes.count)
            if phase == .open {
                terminate(Status(code: .internal, message: "the server sent a message before the response headers"))
            }
            return
        }
        self.deframer = nil  // own the only reference: a partial message then grows in place, not by copy
        unconsumedBytes += bytes.count
        scratch.removeAll(keepingCapacity: true)
        var failure: RPCError? = nil
        do {
            try deframer.process(bytes[...], into: &scratch)
        } catch {
            failure = error
        }
        self.deframer = deframer
        var keepOpen = true
        for message in scratch where !inbox.deliver(message) { keepOpen = false }
        if let failure {
            // A response in an encoding we cannot read is the server's fault, not a missing
            // method: report INTERNAL rather than the deframer's UNIMPLEMENTED.
            terminate(Status(code: failure.code == .unimplemented ? .internal : failure.code, message: failure.message))
            return
        }
        if keepOpen && !windowHeld {
            releaseWindow()
        } else {
            windowHeld = true
        }
    }

    /// Returns received bytes to the flow-control window (the reader caught up).
    func releaseWindow() {
        windowHeld = false
        guard unconsumedBytes > 0, let connection else { return }
        connection.session.consume(stream: id, bytes: unconsumedBytes)
        unconsumedBytes = 0
        connection.scheduleFlush()
    }

    /// The server half-closed with DATA END_STREAM (trailers would have ended the call already).
    func receiveEndStream() {
        guard phase == .open else { return }
        finishFromServer(Status(code: .internal, message: "the server ended the stream without sending trailers"), trailers: [:])
    }

    func streamClosed(errorCode: UInt32) {
        guard phase != .done else { return }
        if errorCode == HTTP2ErrorCode.noError, !sawResponseHeaders {
            end(Status(code: .unavailable, message: "the server closed the stream without a response"), trailers: [:], dropBuffered: false)
        } else {
            end(ClientResponseHead.status(forReset: errorCode), trailers: [:], dropBuffered: false)
        }
    }

    private func finishFromServer(_ status: Status, trailers: Metadata) {
        if status.code == .ok, let deframer {
            do {
                try deframer.finish()
            } catch {
                terminate(error.status)
                return
            }
        }
        end(status, trailers: trailers, dropBuffered: false)
    }

    // MARK: Ending

    /// Ends the call locally (cancel, deadline, bad response): RST_STREAM CANCEL if open.
    func terminate(_ status: Status) {
        guard phase != .done else { return }
        if phase == .open, let connection {
            connection.session.resetStream(id, errorCode: HTTP2ErrorCode.cancel)
            requestEnded = true
            connection.scheduleFlush()
        }
        end(status, trailers: [:], dropBuffered: true)
    }

    /// Records the end, wakes everyone waiting and leaves the connection's stream table.
    func end(_ status: Status, trailers: Metadata, dropBuffered: Bool) {
        guard phase != .done else { return }
        let wasOpen = phase == .open
        phase = .done
        finalStatus = status
        if let timer = deadlineTimer, let loop = connection?.loop {
            loop.cancel(timer)
        }
        deadlineTimer = nil
        let waiters = sendWaiters
        sendWaiters = []
        for waiter in waiters { waiter.resume(throwing: endedError()) }
        inbox.finish(status, trailers: trailers, dropBuffered: dropBuffered)
        if wasOpen, let connection {
            if !requestEnded && connection.session.isStreamOpen(id) {
                // The server finished first: stop the request side without an error (RFC 9113 8.1).
                connection.session.resetStream(id, errorCode: HTTP2ErrorCode.noError)
                requestEnded = true
                connection.scheduleFlush()
            }
            if unconsumedBytes > 0 {
                connection.session.consume(stream: id, bytes: unconsumedBytes)
                unconsumedBytes = 0
            }
            connection.streamEnded(self)
        }
    }
}
