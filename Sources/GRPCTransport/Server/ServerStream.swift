internal import HTTP2
internal import Posix
internal import RPC

/// One RPC on a server connection, owned by the connection's event loop.
///
/// ```
/// HEADERS ──check──► rejected (Trailers-Only, done)
///    │ ok
///    ├─ .unary:     DATA → deframe (≤1 message) → END_STREAM → handler inline → response + trailers
///    └─ .streaming: task(handler) ◄─ RequestStream ◄─ DATA;  writer.send ─► loop ─► DATA
///                   handler returns/throws → trailers
/// RST_STREAM from the client / deadline / shutdown → handler task cancelled, writers fail.
/// ```
final class ServerStream {
    let id: Int32
    /// Strong: the connection drops its streams when they close, which breaks the cycle.
    let connection: ServerConnection
    private let session: HTTP2Session

    private enum Phase {
        case unary(UnaryHandler)
        case streaming
        case done
    }

    private var phase: Phase = .done
    private var head: ServerRequestHead? = nil
    private var info: ServerCallInfo? = nil
    private var deframer: MessageDeframer
    private var messages: [ReceivedMessage] = []
    private var framer = MessageFramer()
    private var deadlineTimer: TimerID? = nil
    private var headersSent = false
    /// Trailers (or a Trailers-Only response, or RST_STREAM) were submitted: the call is over.
    private(set) var responded = false
    private var clientHalfClosed = false

    // Streaming state.
    private var source: RequestStream.Source? = nil
    private var task: Task<Void, Never>? = nil
    private var waitingWriters: [CheckedContinuation<Void, any Error>] = []
    private var endError: RPCError? = nil
    /// Decoded request bytes handed to the handler's RequestStream and not yet taken.
    private var unreadBytes = 0
    /// Wire bytes received but not yet acknowledged to nghttp2 (held back while the handler lags).
    private var heldWireBytes = 0

    init(id: Int32, connection: ServerConnection) {
        self.id = id
        self.connection = connection
        self.session = connection.session
        self.deframer = MessageDeframer(maxMessageSize: connection.configuration.maxReceiveMessageSize)
    }

    // MARK: Events from the connection

    func onHeaders(_ fields: [HeaderField], endStream: Bool) {
        if head != nil {
            // Request trailers: gRPC clients do not send them; treat END_STREAM as the end.
            if endStream { onEndStream() }
            return
        }
        let parsed: ServerRequestHead
        switch ServerRequestHead.parse(fields) {
        case .failure(let rejection):
            clientHalfClosed = endStream
            respondTrailersOnly(
                httpStatus: rejection.httpStatus, error: rejection.error, acceptEncoding: rejection.includeAcceptEncoding)
            return
        case .success(let value):
            parsed = value
        }
        head = parsed
        let handler: MethodHandler
        let path: MethodPath
        switch connection.owner.resolve(parsed.path) {
        case .failure(let error):
            clientHalfClosed = endStream
            respondTrailersOnly(httpStatus: 200, error: error)
            return
        case .success(let found):
            (handler, path) = found
        }
        if parsed.clientAcceptsGzip { framer.encoding = .gzip }
        deframer = MessageDeframer(maxMessageSize: connection.configuration.maxReceiveMessageSize, encoding: parsed.requestEncoding)
        var deadline: ContinuousClock.Instant? = nil
        if let timeout = parsed.timeoutNanoseconds {
            deadline = ContinuousClock.now.advanced(by: .nanoseconds(Int64(clamping: timeout)))
            deadlineTimer = connection.loop.schedule(after: timeout) { [weak self] in
                self?.deadlineTimer = nil
                self?.deadlineExpired()
            }
        }
        info = ServerCallInfo(
            path: path, requestMetadata: parsed.metadata, deadline: deadline, peer: connection.peer,
            peerCertificateSubject: connection.peerCertificateSubject)
        switch handler {
        case .unary(let unary):
            phase = .unary(unary)
            if endStream { onEndStream() }
        case .streaming(let streaming):
            phase = .streaming
            startStreaming(streaming)
            if endStream { onEndStream() }
        }
    }

    func onData(_ bytes: [UInt8]) {
        switch phase {
        case .done:
            session.consume(stream: id, bytes: bytes.count)
        case .unary:
            session.consume(stream: id, bytes: bytes.count)
            do {
                try deframer.process(bytes[...], into: &messages)
            } catch {
                fail(error)
                return
            }
            if messages.count > 1 {
                fail(RPCError(.internal, "received more than one request message for unary method \(info!.path)"))
            }
        case .streaming:
            var arrived: [ReceivedMessage] = []
            do {
                try deframer.process(bytes[...], into: &arrived)
            } catch {
                session.consume(stream: id, bytes: bytes.count)
                fail(error)
                return
            }
            for message in arrived {
                unreadBytes += message.bytes.count
                source?.yield(message)
            }
            if unreadBytes > Int(connection.configuration.initialWindowSize) {
                heldWireBytes += bytes.count
            } else {
                session.consume(stream: id, bytes: bytes.count)
            }
        }
    }

    func onEndStream() {
        clientHalfClosed = true
        switch phase {
        case .done:
            return
        case .unary(let handler):
            do {
                try deframer.finish()
            } catch {
                fail(error)
                return
            }
            guard messages.count == 1 else {
                fail(RPCError(.internal, "received no request message for unary method \(info!.path)"))
                return
            }
            runUnary(handler, request: messages.removeLast())
        case .streaming:
            do {
                try deframer.finish()
                source?.finish()
            } catch {
                fail(error)
            }
        }
    }

    /// The stream is gone from nghttp2 (completed, or reset by either side).
    func onClosed(errorCode: UInt32) {
        cancelDeadline()
        let error = errorCode == HTTP2ErrorCode.noError
            ? RPCError(.cancelled, "the stream closed before the call completed")
            : RPCError(.cancelled, "the client cancelled the call (RST_STREAM error code \(errorCode))")
        if !responded { responded = true }
        finishStreaming(with: endError ?? error)
        phase = .done
    }

    func onOutboundDrained() {
        resumeWritersIfBelowMark()
    }

    /// The request's header block (or its trailers) was bigger than the server's
    /// SETTINGS_MAX_HEADER_LIST_SIZE: the session decoded it but kept no field. The call is
    /// answered RESOURCE_EXHAUSTED, naming both sizes.
    func rejectOversizedHeaders(size: Int, limit: Int, endStream: Bool) {
        let error = RPCError(
            .resourceExhausted,
            "request headers are \(size) bytes, over the server's limit of \(limit) bytes (SETTINGS_MAX_HEADER_LIST_SIZE)")
        if head == nil {
            clientHalfClosed = endStream
            respondTrailersOnly(httpStatus: 200, error: error)
        } else {
            if endStream { clientHalfClosed = true }  // oversized request trailers
            fail(error)
        }
    }

    // MARK: Unary

    private func runUnary(_ handler: UnaryHandler, request: ReceivedMessage) {
        phase = .done
        let context = UnaryContext(info: info!, requestWasCompressed: request.wasCompressed)
        let response: [UInt8]
        do {
            response = try handler(request.bytes, context)
        } catch {
            let rpcError = RPCError(wrapping: error)
            if context.responseMetadata.isEmpty {
                respondTrailersOnly(httpStatus: 200, error: rpcError)
            } else {
                guard sendHeaders(context.responseMetadata, compressed: false) else { return }
                sendTrailers(status: rpcError.status, metadata: rpcError.metadata)
            }
            return
        }
        let compress = context.compressResponse && framer.encoding == .gzip
        var body: [UInt8] = []
        body.reserveCapacity(response.count + MessageFramer.prefixSize)
        do {
            try framer.append(response, into: &body, compress: compress)
        } catch {
            respondTrailersOnly(httpStatus: 200, error: error)
            return
        }
        guard sendHeaders(context.responseMetadata, compressed: compress) else { return }
        session.sendData(stream: id, bytes: body, endStream: false)
        sendTrailers(status: .ok, metadata: context.trailingMetadata)
    }

    // MARK: Streaming

    private func startStreaming(_ handler: @escaping StreamingHandler) {
        let loop = connection.loop
        let bound = LoopBound(self)
        let (requests, source) = RequestStream.makeStream(onConsumed: { bytes in
            loop.execute { bound.value.handlerConsumed(bytes) }
        })
        self.source = source
        let writer = ServerResponseWriter(loop: loop, stream: bound)
        let call = StreamingCall(info: info!, requests: requests, responses: writer)
        task = Task {
            let outcome: Result<Metadata, RPCError>
            do {
                outcome = .success(try await handler(call))
            } catch {
                outcome = .failure(RPCError(wrapping: error))
            }
            loop.execute { bound.value.handlerFinished(outcome) }
        }
    }

    private func handlerConsumed(_ bytes: Int) {
        unreadBytes -= bytes
        if heldWireBytes > 0 && unreadBytes <= Int(connection.configuration.initialWindowSize) / 2 {
            session.consume(stream: id, bytes: heldWireBytes)
            heldWireBytes = 0
            connection.scheduleFlush()
        }
    }

    private func handlerFinished(_ outcome: Result<Metadata, RPCError>) {
        task = nil
        guard !responded else { return }
        switch outcome {
        case .success(let trailers):
            if !headersSent {
                respondTrailersOnly(httpStatus: 200, status: .ok, metadata: trailers)
            } else {
                sendTrailers(status: .ok, metadata: trailers)
            }
        case .failure(let error):
            if !headersSent {
                respondTrailersOnly(httpStatus: 200, error: error)
            } else {
                sendTrailers(status: error.status, metadata: error.metadata)
            }
        }
        if !clientHalfClosed {
            // The response is complete; the client may still be sending: stop it (RFC 9113 8.1).
            connection.resetAfterFlush(id, errorCode: HTTP2ErrorCode.noError)
        }
    }

    /// Writer entry points (on the loop).
    func writerSendInitialMetadata(_ metadata: Metadata) throws(RPCError) {
        if let endError { throw endError }
        guard !responded else { throw RPCError(.cancelled, "the call is already complete") }
        guard !headersSent else { return }
        guard sendHeaders(metadata, compressed: framer.encoding == .gzip) else {
            throw endError ?? RPCError(.internal, "could not send response headers")
        }
    }

    /// Queues a message; returns true when the writer must wait for the queue to drain.
    func writerSend(_ message: [UInt8], compress: Bool) throws(RPCError) -> Bool {
        if let endError { throw endError }
        guard !responded else { throw RPCError(.cancelled, "the call is already complete") }
        if !headersSent {
            guard sendHeaders(Metadata(), compressed: framer.encoding == .gzip) else {
                throw endError ?? RPCError(.internal, "could not send response headers")
            }
        }
        var body: [UInt8] = []
        try framer.append(message, into: &body, compress: compress && framer.encoding == .gzip)
        session.sendData(stream: id, bytes: body, endStream: false)
        connection.scheduleFlush()
        return session.bufferedOutboundBytes(stream: id) > connection.configuration.outboundHighWaterMark
    }

    func writerWait(_ continuation: CheckedContinuation<Void, any Error>) {
        if let endError {
            continuation.resume(throwing: endError)
        } else if session.bufferedOutboundBytes(stream: id) <= connection.configuration.outboundHighWaterMark {
            continuation.resume()
        } else {
            waitingWriters.append(continuation)
        }
    }

    private func resumeWritersIfBelowMark() {
        guard !waitingWriters.isEmpty,
            session.bufferedOutboundBytes(stream: id) <= connection.configuration.outboundHighWaterMark
        else { return }
        let writers = waitingWriters
        waitingWriters.removeAll()
        for writer in writers { writer.resume() }
    }

    private func finishStreaming(with error: RPCError) {
        if endError == nil { endError = error }
        source?.fail(error)
        source = nil
        task?.cancel()
        let writers = waitingWriters
        waitingWriters.removeAll()
        for writer in writers { writer.resume(throwing: error) }
        if heldWireBytes > 0 {
            session.consume(stream: id, bytes: heldWireBytes)
            heldWireBytes = 0
        }
    }

    // MARK: Failures, deadline, shutdown

    /// Ends the call with `error` (a bad message, a limit): trailers now, handler cancelled.
    private func fail(_ error: RPCError) {
        guard !responded else { return }
        if headersSent {
            sendTrailers(status: error.status, metadata: error.metadata)
        } else {
            respondTrailersOnly(httpStatus: 200, error: error)
        }
        finishStreaming(with: error)
        phase = .done
        if !clientHalfClosed { connection.resetAfterFlush(id, errorCode: HTTP2ErrorCode.cancel) }
    }

    private func deadlineExpired() {
        fail(RPCError(.deadlineExceeded, "the call's deadline (grpc-timeout) expired before it completed"))
    }

    private func cancelDeadline() {
        if let timer = deadlineTimer {
            connection.loop.cancel(timer)
            deadlineTimer = nil
        }
    }

    /// The server stops: the call is cancelled (used when the drain timeout passes).
    func abort() {
        fail(RPCError(.unavailable, "the server is shutting down"))
    }

    // MARK: Writing headers and trailers

    /// Submits response headers; false (and the stream reset) if nghttp2 refused them.
    private func sendHeaders(_ metadata: Metadata, compressed: Bool) -> Bool {
        guard !headersSent else { return true }
        var fields = ResponseHeaders.ok
        if compressed { fields.append(ResponseHeaders.gzipEncoding) }
        if let invalid = MetadataCoding.validate(metadata) {
            respondTrailersOnly(httpStatus: 200, error: invalid)
            return false
        }
        MetadataCoding.encode(metadata, into: &fields)
        do {
            try session.submitResponse(stream: id, headers: fields, endStream: false)
        } catch {
            abortStream(RPCError(.internal, "could not send response headers: \(error)"))
            return false
        }
        headersSent = true
        connection.scheduleFlush()
        return true
    }

    private func sendTrailers(status: Status, metadata: Metadata) {
        guard !responded else { return }
        responded = true
        cancelDeadline()
        if status.code == .ok && status.message.isEmpty && metadata.isEmpty {
            session.submitTrailers(stream: id, headers: ResponseHeaders.okTrailers)  // shared, no allocation
            connection.scheduleFlush()
            return
        }
        var fields: [HeaderField] = []
        if let invalid = MetadataCoding.validate(metadata) {
            appendStatus(Status(code: .internal, message: "invalid trailing metadata: \(invalid.message)"), to: &fields)
        } else {
            appendStatus(status, to: &fields)
            MetadataCoding.encode(metadata, into: &fields)
        }
        session.submitTrailers(stream: id, headers: fields)
        connection.scheduleFlush()
    }

    private func respondTrailersOnly(httpStatus: Int, error: RPCError, acceptEncoding: Bool = false) {
        respondTrailersOnly(httpStatus: httpStatus, status: error.status, metadata: error.metadata, acceptEncoding: acceptEncoding)
    }

    private func respondTrailersOnly(httpStatus: Int, status: Status, metadata: Metadata, acceptEncoding: Bool = false) {
        guard !responded else { return }
        responded = true
        headersSent = true
        cancelDeadline()
        phase = .done
        var fields = httpStatus == 200 ? ResponseHeaders.ok : ResponseHeaders.error(httpStatus: httpStatus)
        if acceptEncoding { fields.append(ResponseHeaders.acceptEncoding) }
        appendStatus(status, to: &fields)
        MetadataCoding.encode(metadata, into: &fields)  // skips entries that cannot go on the wire
        do {
            try session.submitResponse(stream: id, headers: fields, endStream: true)
        } catch {
            session.resetStream(id, errorCode: HTTP2ErrorCode.internalError)
        }
        connection.scheduleFlush()
        if !clientHalfClosed { connection.resetAfterFlush(id, errorCode: HTTP2ErrorCode.noError) }
    }

    private func abortStream(_ error: RPCError) {
        responded = true
        session.resetStream(id, errorCode: HTTP2ErrorCode.internalError)
        finishStreaming(with: error)
        phase = .done
        connection.scheduleFlush()
    }

    private func appendStatus(_ status: Status, to fields: inout [HeaderField]) {
        fields.append(ResponseHeaders.status(status.code))
        if !status.message.isEmpty {
            fields.append(HeaderField(name: "grpc-message", value: PercentEncoding.encode(status.message)))
        }
    }
}
