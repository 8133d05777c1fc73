internal import Dispatch
internal import HTTP2
internal import Posix
internal import RPC

/// One RPC on a server connection, owned by the connection's event loop.
///
/// ```
/// HEADERS ──check──► not gRPC (GET /, text/plain): discard DATA, at END_STREAM an HTTP error with a text body
///    │      ──route + admission──► refused (Trailers-Only at once; DATA discarded, window kept shut)
///    │ ok
///    ├─ .unary:     DATA → deframe (≤1 message, bytes counted against the connection's and the
///    │              server's request budgets) → END_STREAM → handler inline → response + trailers
///    │              handler throws RunOffEventLoop → handler again on a blocking-allowed thread → loop
///    └─ .streaming: task(handler) ◄─ RequestStream ◄─ DATA;  writer.send ─► loop ─► DATA
///                   handler returns/throws → trailers
/// RST_STREAM from the client / deadline / request timeout / response stall / shutdown →
/// handler task cancelled, writers fail.
/// ```
final class ServerStream {
    let id: Int32
    /// Strong: the connection drops its streams when they close, which breaks the cycle.
    let connection: ServerConnection
    private let session: HTTP2Session

    private enum Phase {
        case unary(UnaryHandler)
        case streaming
        /// The unary handler runs off the loop; its answer comes back through `finishOffloaded`.
        case offloaded
        /// Not a gRPC request: its body is discarded and the HTTP error is sent at END_STREAM.
        case refused(ServerRequestHead.Rejection)
        case done
    }

    private var phase: Phase = .done
    private var head: ServerRequestHead? = nil
    private var info: ServerCallInfo? = nil
    private var deframer: MessageDeframer
    private var messages: [ReceivedMessage] = []
    private var framer = MessageFramer()
    private var deadlineTimer: TimerID? = nil
    private var requestTimer: TimerID? = nil
    private var headersSent = false
    /// The response headers said `grpc-encoding: gzip`: messages may be compressed.
    private var headersSaidGzip = false
    /// Trailers (or a Trailers-Only response, or RST_STREAM) were submitted: the call is over.
    private(set) var responded = false
    private var clientHalfClosed = false
    /// Request bytes this stream holds, counted in the connection's and the server's budgets.
    private var reservedRequestBytes = 0

    // Streaming state.
    private var source: RequestStream.Source? = nil
    private var task: Task<Void, Never>? = nil
    private var waitingWriters: [CheckedContinuation<Void, any Error>] = []
    private var endError: RPCError? = nil
    /// Decoded request bytes handed to the handler's RequestStream and not yet taken.
    private var unreadBytes = 0
    /// Wire bytes received but not yet acknowledged to nghttp2 (held back while the handler lags).
    private var heldWireBytes = 0

    // Response stall detection (see `checkStall`).
    private var stallSince: UInt64 = 0
    private var stallTaken = -1

    init(id: Int32, connection: ServerConnection) {
        self.id = id
        self.connection = connection
        self.session = connection.session
        self.deframer = MessageDeframer(maxMessageSize: connection.configuration.maxReceiveMessageSize)
    }

    private var configuration: ServerConfiguration { connection.configuration }

    // MARK: Events from the connection

    func onHeaders(_ fields: [HeaderField], endStream: Bool) {
        if head != nil || responded {
            // Request trailers: gRPC clients do not send them; treat END_STREAM as the end.
            if endStream { onEndStream() }
            return
        }
        clientHalfClosed = endStream
        let parsed: ServerRequestHead
        switch ServerRequestHead.parse(fields) {
        case .failure(let rejection):
            if rejection.httpStatus != 200 {
                refuseNonGRPC(rejection)
            } else {
                respondTrailersOnly(
                    httpStatus: rejection.httpStatus, error: rejection.error, acceptEncoding: rejection.includeAcceptEncoding)
            }
            return
        case .success(let value):
            parsed = value
        }
        head = parsed
        let route: Route
        let path: MethodPath
        switch connection.owner.resolve(parsed.path) {
        case .failure(let error):
            respondTrailersOnly(httpStatus: 200, error: error)
            return
        case .success(let found):
            (route, path) = found
        }
        var deadline: ContinuousClock.Instant? = nil
        if let timeout = parsed.timeoutNanoseconds {
            guard timeout > 0 else {
                respondTrailersOnly(httpStatus: 200, error: Self.deadlineError)
                return
            }
            deadline = ContinuousClock.now.advanced(by: .nanoseconds(Int64(clamping: timeout)))
        }
        var callInfo = ServerCallInfo(
            path: path, requestMetadata: parsed.metadata, deadline: deadline, peer: connection.peer,
            peerCertificateSubject: connection.peerCertificateSubject, connectionID: connection.connectionID)
        // Authentication before a single request byte is buffered.
        if let admission = route.admission {
            do {
                callInfo.admission = try admission(callInfo)
            } catch {
                respondTrailersOnly(httpStatus: 200, error: RPCError(wrapping: error))
                return
            }
        }
        info = callInfo
        if let timeout = parsed.timeoutNanoseconds {
            deadlineTimer = connection.loop.schedule(after: timeout) { [weak self] in
                self?.deadlineTimer = nil
                self?.deadlineExpired()
            }
        }
        deframer = MessageDeframer(maxMessageSize: configuration.maxReceiveMessageSize, encoding: parsed.requestEncoding)
        switch route.handler {
        case .unary(let unary):
            phase = .unary(unary)
            if endStream { onEndStream() } else { connection.awaitBody(self) }
        case .streaming(let streaming):
            phase = .streaming
            startStreaming(streaming)
            if endStream { onEndStream() }
        }
    }

    func onData(_ bytes: [UInt8]) {
        switch phase {
        case .done, .offloaded:
            // The call is answered (or refused at its headers): discard, and keep the stream's
            // window shut so the client is not invited to send more.
            session.consumeConnectionOnly(bytes: bytes.count)
        case .refused:
            session.consume(stream: id, bytes: bytes.count)
        case .unary:
            session.consume(stream: id, bytes: bytes.count)
            guard reserve(bytes.count) else { return }
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
            var arrivedBytes = 0
            for message in arrived { arrivedBytes += message.bytes.count }
            guard reserve(arrivedBytes) else {
                session.consume(stream: id, bytes: bytes.count)
                return
            }
            for message in arrived {
                unreadBytes += message.bytes.count
                source?.yield(message)
            }
            if unreadBytes > Int(configuration.initialWindowSize) {
                heldWireBytes += bytes.count
            } else {
                session.consume(stream: id, bytes: bytes.count)
            }
        }
    }

    func onEndStream() {
        clientHalfClosed = true
        cancelRequestTimer()
        switch phase {
        case .done, .offloaded:
            return
        case .refused(let rejection):
            respondHTTPError(rejection)
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
        cancelRequestTimer()
        releaseRequestBytes()
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

    // MARK: Request budget

    /// Counts `bytes` more held request bytes; past a bound the call fails RESOURCE_EXHAUSTED.
    private func reserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        if let refusal = connection.reserveRequestBytes(bytes, stream: id) {
            fail(RPCError(.resourceExhausted, refusal))
            return false
        }
        reservedRequestBytes += bytes
        return true
    }

    private func releaseRequestBytes(_ bytes: Int? = nil) {
        let amount = min(bytes ?? reservedRequestBytes, reservedRequestBytes)
        guard amount > 0 else { return }
        reservedRequestBytes -= amount
        connection.releaseRequestBytes(amount)
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

    private func runUnary(_ handler: @escaping UnaryHandler, request: ReceivedMessage) {
        phase = .done
        releaseRequestBytes()
        if let deadline = info!.deadline, ContinuousClock.now >= deadline {
            fail(Self.deadlineError)
            return
        }
        let context = UnaryContext(info: info!, requestWasCompressed: request.wasCompressed)
        let response: [UInt8]
        do {
            response = try handler(request.bytes, context)
        } catch is RunOffEventLoop {
            offload(handler, request: request)
            return
        } catch {
            fail(unary: RPCError(wrapping: error), context: context)
            return
        }
        complete(response: response, context: context)
    }

    /// Runs the handler again where it may block (a model load, a first read of a tenant's
    /// files), within the server's bound on such calls, and answers back on the loop.
    private func offload(_ handler: @escaping UnaryHandler, request: ReceivedMessage) {
        let budgets = connection.owner.budgets
        guard budgets.beginOffload() else {
            let error = RPCError(
                .unavailable,
                "the server is busy: \(budgets.maxOffloadedCalls) calls are already waiting for models to load; retry shortly")
            respondTrailersOnly(
                httpStatus: 200, status: error.status, metadata: [:], extra: ResponseHeaders.retryPushback(milliseconds: 200))
            return
        }
        phase = .offloaded
        let loop = connection.loop
        let bound = LoopBound(self)
        let info = self.info!
        DispatchQueue.global().async {
            let context = UnaryContext(info: info, requestWasCompressed: request.wasCompressed, isOnEventLoop: false)
            let result: Result<[UInt8], RPCError>
            do {
                result = .success(try handler(request.bytes, context))
            } catch {
                result = .failure(RPCError(wrapping: error))
            }
            let answer = OffloadedAnswer(result: result, context: context)
            loop.execute {
                budgets.endOffload()
                bound.value.finishOffloaded(answer)
            }
        }
    }

    private func finishOffloaded(_ answer: OffloadedAnswer) {
        guard case .offloaded = phase, !responded else { return }
        phase = .done
        switch answer.result {
        case .success(let response): complete(response: response, context: answer.context)
        case .failure(let error): fail(unary: error, context: answer.context)
        }
    }

    private func complete(response: [UInt8], context: UnaryContext) {
        let compress = context.compressResponse && head?.mayCompressResponses == true
        var body: [UInt8] = []
        body.reserveCapacity(response.count + MessageFramer.prefixSize)
        do {
            framer.encoding = compress ? .gzip : .identity
            try framer.append(response, into: &body, compress: compress)
        } catch {
            respondTrailersOnly(httpStatus: 200, error: error)
            return
        }
        guard sendHeaders(context.responseMetadata, compressed: compress) else { return }
        session.sendData(stream: id, bytes: body, endStream: false)
        sendTrailers(status: .ok, metadata: context.trailingMetadata)
    }

    private func fail(unary error: RPCError, context: UnaryContext) {
        if context.responseMetadata.isEmpty {
            respondTrailersOnly(httpStatus: 200, error: error)
        } else {
            guard sendHeaders(context.responseMetadata, compressed: false) else { return }
            sendTrailers(status: error.status, metadata: error.metadata)
        }
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
        releaseRequestBytes(bytes)
        if heldWireBytes > 0 && unreadBytes <= Int(configuration.initialWindowSize) / 2 {
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
        guard sendHeaders(metadata, compressed: head?.clientAcceptsGzip == true) else {
            throw endError ?? RPCError(.internal, "could not send response headers")
        }
    }

    /// Queues a message; returns true when the writer must wait for the queue to drain.
    func writerSend(_ message: [UInt8], compress: Bool) throws(RPCError) -> Bool {
        if let endError { throw endError }
        guard !responded else { throw RPCError(.cancelled, "the call is already complete") }
        if !headersSent {
            // Without the client's grpc-accept-encoding, the first message decides (gRPC's
            // compression doc: compress when asked unless the client is known not to support it).
            let gzip = head?.clientAcceptsGzip == true || (compress && head?.mayCompressResponses == true)
            guard sendHeaders(Metadata(), compressed: gzip) else {
                throw endError ?? RPCError(.internal, "could not send response headers")
            }
        }
        var body: [UInt8] = []
        let compressed = compress && headersSaidGzip
        framer.encoding = headersSaidGzip ? .gzip : .identity
        try framer.append(message, into: &body, compress: compressed)
        session.sendData(stream: id, bytes: body, endStream: false)
        connection.scheduleFlush()
        return mustWait
    }

    func writerWait(_ continuation: CheckedContinuation<Void, any Error>) {
        if let endError {
            continuation.resume(throwing: endError)
        } else if !mustWait {
            continuation.resume()
        } else {
            waitingWriters.append(continuation)
            connection.writerBlocked(id)
        }
    }

    /// Over the stream's or the connection's bound on queued response bytes.
    private var mustWait: Bool {
        session.bufferedOutboundBytes(stream: id) > configuration.outboundHighWaterMark
            || session.queuedOutboundBytes > configuration.maxQueuedResponseBytesPerConnection
    }

    var hasWaitingWriters: Bool { !waitingWriters.isEmpty }

    func resumeWritersIfBelowMark() {
        guard !waitingWriters.isEmpty, !mustWait else { return }
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
        releaseRequestBytes()
    }

    // MARK: Response stall

    /// Called periodically by the connection while responses are queued: a stream whose client
    /// has taken none of its queued bytes for `responseStallTimeout` is reset with
    /// ENHANCE_YOUR_CALM (clients report RESOURCE_EXHAUSTED) and its queue dropped.
    /// Returns true when the stream was cut off.
    func checkStall(now: UInt64) -> Bool {
        guard session.bufferedOutboundBytes(stream: id) > 0 else {
            stallTaken = -1
            return false
        }
        let taken = session.takenOutboundBytes(stream: id)
        if taken != stallTaken {
            stallTaken = taken
            stallSince = now
            return false
        }
        let limit = configuration.responseStallTimeout.nanosecondsClamped
        guard now &- stallSince >= limit else { return false }
        let queued = session.bufferedOutboundBytes(stream: id)
        connection.reportStreamIncident(
            .timeout,
            stream: id,
            "the client read none of its \(queued) queued response bytes for \(configuration.responseStallTimeout)"
                + " (server.response_stall_timeout_seconds): stream reset with ENHANCE_YOUR_CALM")
        abortStream(
            RPCError(.resourceExhausted, "the client stopped reading its responses"),
            errorCode: HTTP2ErrorCode.enhanceYourCalm)
        return true
    }

    // MARK: Failures, deadline, request timeout, shutdown

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

    private static let deadlineError = RPCError(
        .deadlineExceeded, "the call's deadline (grpc-timeout) expired before it completed")

    private func deadlineExpired() {
        fail(Self.deadlineError)
    }

    private func cancelDeadline() {
        if let timer = deadlineTimer {
            connection.loop.cancel(timer)
            deadlineTimer = nil
        }
    }

    /// Called at the end of the loop iteration that read the headers: the request must still
    /// arrive whole within `requestTimeout` (from about now).
    func armRequestTimerIfStillWaiting() {
        guard !clientHalfClosed, !responded, requestTimer == nil else { return }
        switch phase {
        case .unary, .refused: armRequestTimer()
        case .streaming, .offloaded, .done: return
        }
    }

    /// A unary (or non-gRPC) request must arrive whole within `requestTimeout`.
    private func armRequestTimer() {
        let timeout = configuration.requestTimeout
        requestTimer = connection.loop.schedule(after: timeout.nanosecondsClamped) { [weak self] in
            guard let self else { return }
            self.requestTimer = nil
            self.connection.reportStreamIncident(
                .timeout, stream: self.id,
                "the request did not arrive whole within \(timeout) (server.request_timeout_seconds)")
            self.fail(
                RPCError(
                    .deadlineExceeded,
                    "the request did not arrive whole within \(timeout) (server.request_timeout_seconds)"))
        }
    }

    private func cancelRequestTimer() {
        if let timer = requestTimer {
            connection.loop.cancel(timer)
            requestTimer = nil
        }
    }

    /// The server stops: the call is cancelled (used when the drain timeout passes).
    func abort() {
        fail(RPCError(.unavailable, "the server is shutting down"))
    }

    // MARK: Non-gRPC requests

    /// A request that is not gRPC (wrong method, content-type or te): its body is discarded and
    /// the answer, a real HTTP status with a short text body, waits for the client's END_STREAM
    /// (RFC 9113 §8.1: the request is complete before the server ends the exchange).
    private func refuseNonGRPC(_ rejection: ServerRequestHead.Rejection) {
        if clientHalfClosed {
            respondHTTPError(rejection)
        } else {
            phase = .refused(rejection)
            connection.awaitBody(self)
        }
    }

    private func respondHTTPError(_ rejection: ServerRequestHead.Rejection) {
        guard !responded else { return }
        phase = .done
        var fields = ResponseHeaders.plainText(httpStatus: rejection.httpStatus)
        appendStatus(rejection.error.status, to: &fields)
        do {
            try session.submitResponse(stream: id, headers: fields, endStream: false)
        } catch {
            session.resetStream(id, errorCode: HTTP2ErrorCode.internalError)
            responded = true
            connection.scheduleFlush()
            return
        }
        responded = true
        headersSent = true
        let text = "\(rejection.error.status.message)\nThis is a gRPC server: call it with a gRPC client.\n"
        session.sendData(stream: id, bytes: Array(text.utf8), endStream: true)
        connection.scheduleFlush()
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
        headersSaidGzip = compressed
        connection.scheduleFlush()
        return true
    }

    private func sendTrailers(status: Status, metadata: Metadata) {
        guard !responded else { return }
        responded = true
        cancelDeadline()
        cancelRequestTimer()
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

    private func respondTrailersOnly(
        httpStatus: Int, status: Status, metadata: Metadata, acceptEncoding: Bool = false, extra: HeaderField? = nil
    ) {
        guard !responded else { return }
        responded = true
        headersSent = true
        cancelDeadline()
        cancelRequestTimer()
        releaseRequestBytes()
        phase = .done
        var fields = httpStatus == 200 ? ResponseHeaders.ok : ResponseHeaders.error(httpStatus: httpStatus)
        if acceptEncoding { fields.append(ResponseHeaders.acceptEncoding) }
        if let extra { fields.append(extra) }
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

    private func abortStream(_ error: RPCError, errorCode: UInt32 = HTTP2ErrorCode.internalError) {
        responded = true
        cancelDeadline()
        cancelRequestTimer()
        session.resetStream(id, errorCode: errorCode)
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

/// An off-loop unary handler's result and context, handed back to the loop once the handler is
/// done with the context (so it is never used on two threads at once).
private struct OffloadedAnswer: @unchecked Sendable {
    let result: Result<[UInt8], RPCError>
    let context: UnaryContext
}
