internal import Dispatch
internal import HTTP2
internal import Posix
internal import RPC

/// One RPC on a server connection, owned by the connection's event loop: the I/O shell of a
/// ``ServerStreamStateMachine`` (its phases are drawn there). It checks, routes and admits the
/// request's headers, deframes its messages (bytes counted against the connection's and the
/// server's request budgets), runs the handler and performs what the machine decides: submits
/// to the session, timers, budgets, the handler task and its writers.
///
/// ```
/// .unary:     DATA → deframe (≤1 message) → END_STREAM → handler inline → headers, message, trailers
///             handler throws RunOffEventLoop → handler again on a blocking-allowed thread → loop
/// .streaming: task(handler) ◄─ RequestStream ◄─ DATA;  writer.send ─► loop ─► DATA; handler returns → trailers
/// ```
final class ServerStream {
    typealias Machine = ServerStreamStateMachine

    let id: Int32
    /// Strong: the connection drops its streams when they close, which breaks the cycle.
    let connection: ServerConnection
    private let session: HTTP2Session

    private var machine = Machine()
    private var head: ServerRequestHead? = nil
    private var info: ServerCallInfo? = nil
    private var handler: MethodHandler? = nil
    private var deframer: MessageDeframer
    private var messages: [ReceivedMessage] = []
    private var framer = MessageFramer()
    private var deadlineTimer: TimerID? = nil
    private var requestTimer: TimerID? = nil
    /// Request bytes this stream holds, counted in the connection's and the server's budgets.
    private var reservedRequestBytes = 0

    // Streaming state.
    private var source: RequestStream.Source? = nil
    private var task: Task<Void, Never>? = nil
    private var waitingWriters: [CheckedContinuation<Void, any Error>] = []
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

    /// Trailers (or a Trailers-Only response, or RST_STREAM) were submitted: the call is over.
    var responded: Bool { machine.responded }

    // MARK: Events from the connection

    func onHeaders(_ fields: [HeaderField], endStream: Bool) {
        guard machine.phase == .awaitingHeaders else {
            if endStream { cancelRequestTimer() }
            perform(machine.handle(.requestTrailers(endStream: endStream)))
            return
        }
        perform(machine.handle(.requestHeaders(admit(fields), endStream: endStream)))
    }

    /// Checks, routes and admits the request (authentication before a single request byte is
    /// buffered); an accepted one gets its deadline timer and deframer.
    private func admit(_ fields: [HeaderField]) -> Machine.RequestHead {
        let parsed: ServerRequestHead
        switch ServerRequestHead.parse(fields) {
        case .failure(let rejection):
            guard rejection.httpStatus == 200 else { return .notGRPC(rejection) }
            return .refused(.init(rejection.error, acceptEncoding: rejection.includeAcceptEncoding))
        case .success(let value):
            parsed = value
        }
        head = parsed
        let route: Route
        let path: MethodPath
        switch connection.owner.resolve(parsed.path) {
        case .failure(let error): return .refused(.init(error))
        case .success(let found): (route, path) = found
        }
        var deadline: ContinuousClock.Instant? = nil
        if let timeout = parsed.timeoutNanoseconds {
            guard timeout > 0 else { return .refused(.init(Machine.deadlineError)) }
            deadline = ContinuousClock.now.advanced(by: .nanoseconds(Int64(clamping: timeout)))
        }
        var callInfo = ServerCallInfo(
            path: path, requestMetadata: parsed.metadata, deadline: deadline, peer: connection.peer,
            peerCertificateSubject: connection.peerCertificateSubject, connectionID: connection.connectionID)
        if let admission = route.admission {
            do {
                callInfo.admission = try admission(callInfo)
            } catch {
                return .refused(.init(RPCError(wrapping: error)))
            }
        }
        info = callInfo
        if let timeout = parsed.timeoutNanoseconds {
            deadlineTimer = connection.loop.schedule(after: timeout) { [weak self] in
                guard let self else { return }
                self.deadlineTimer = nil
                self.perform(self.machine.handle(.deadlineExpired))
            }
        }
        deframer = MessageDeframer(maxMessageSize: configuration.maxReceiveMessageSize, encoding: parsed.requestEncoding)
        handler = route.handler
        switch route.handler {
        case .unary: return .unary
        case .streaming: return .streaming
        }
    }

    func onData(_ bytes: [UInt8]) {
        switch machine.handle(.data) {
        case .discardData(let reopenStreamWindow):
            // Refused at its headers, the client may finish its body; otherwise the call is
            // answered: the stream's window stays shut so the client is not invited to send more.
            if reopenStreamWindow {
                session.consume(stream: id, bytes: bytes.count)
            } else {
                session.consumeConnectionOnly(bytes: bytes.count)
            }
        case .deframeUnary:
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
        case .deframeStreaming:
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
        default:
            break
        }
    }

    func onEndStream() {
        cancelRequestTimer()
        perform(machine.handle(.endStream))
    }

    /// The stream is gone from nghttp2 (completed, or reset by either side).
    func onClosed(errorCode: UInt32) {
        perform(machine.handle(.closed(errorCode: errorCode)))
    }

    func onOutboundDrained() {
        resumeWritersIfBelowMark()
    }

    /// Performs what the machine decided. The actions that answer one caller's question
    /// (deframe, send a message, start the offload, ...) are acted on by that caller.
    private func perform(_ action: Machine.Action) {
        switch action {
        case .awaitBody: connection.awaitBody(self)
        case .completeUnaryRequest: completeUnaryRequest()
        case .startStreaming(let requestEnded):
            startStreaming()
            if requestEnded { finishStreamingRequest() }
        case .finishStreamingRequest: finishStreamingRequest()
        case .end(let ending): end(ending)
        default: break
        }
    }

    private func fail(_ error: RPCError) {
        perform(machine.handle(.failed(error)))
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
        if machine.phase == .awaitingHeaders {
            perform(machine.handle(.requestHeaders(.refused(.init(error)), endStream: endStream)))
        } else {
            perform(machine.handle(.oversizedRequestTrailers(error, endStream: endStream)))
        }
    }

    // MARK: Unary

    /// END_STREAM of a unary request: its one message goes to the handler, inline on the loop.
    private func completeUnaryRequest() {
        do {
            try deframer.finish()
        } catch {
            fail(error)
            return
        }
        guard messages.count == 1, case .unary(let handler) = handler else {
            fail(RPCError(.internal, "received no request message for unary method \(info!.path)"))
            return
        }
        let request = messages.removeLast()
        releaseRequestBytes()
        if let deadline = info!.deadline, ContinuousClock.now >= deadline {
            perform(machine.handle(.deadlineExpired))
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
            perform(machine.handle(.offloadRefused(maxCalls: budgets.maxOffloadedCalls)))
            return
        }
        guard case .startOffload = machine.handle(.offloadStarted) else {
            budgets.endOffload()
            return
        }
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
        guard case .deliverOffloadedAnswer = machine.handle(.offloadFinished) else { return }
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
            fail(error)
            return
        }
        guard (try? sendHeaders(context.responseMetadata, gzip: compress)) != nil,
            case .sendMessage = machine.handle(.responseMessage)
        else { return }
        session.sendData(stream: id, bytes: body, endStream: false)
        perform(machine.handle(.responseTrailers(.ok, context.trailingMetadata)))
    }

    private func fail(unary error: RPCError, context: UnaryContext) {
        if !context.responseMetadata.isEmpty {
            guard (try? sendHeaders(context.responseMetadata, gzip: false)) != nil else { return }
        }
        perform(machine.handle(.responseTrailers(error.status, error.metadata)))
    }

    // MARK: Streaming

    private func startStreaming() {
        guard case .streaming(let handler) = handler else { return }
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

    private func finishStreamingRequest() {
        do {
            try deframer.finish()
            source?.finish()
        } catch {
            fail(error)
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
        switch outcome {
        case .success(let trailers): perform(machine.handle(.responseTrailers(.ok, trailers)))
        case .failure(let error): perform(machine.handle(.responseTrailers(error.status, error.metadata)))
        }
    }

    /// Writer entry points (on the loop).
    func writerSendInitialMetadata(_ metadata: Metadata) throws(RPCError) {
        try sendHeaders(metadata, gzip: head?.clientAcceptsGzip == true)
    }

    /// Queues a message; returns true when the writer must wait for the queue to drain.
    func writerSend(_ message: [UInt8], compress: Bool) throws(RPCError) -> Bool {
        if !machine.headersSent {
            // Without the client's grpc-accept-encoding, the first message decides (gRPC's
            // compression doc: compress when asked unless the client is known not to support it).
            try sendHeaders(Metadata(), gzip: head?.clientAcceptsGzip == true || (compress && head?.mayCompressResponses == true))
        }
        switch machine.handle(.responseMessage) {
        case .sendMessage(let gzip):
            var body: [UInt8] = []
            framer.encoding = gzip ? .gzip : .identity
            try framer.append(message, into: &body, compress: compress && gzip)
            session.sendData(stream: id, bytes: body, endStream: false)
            connection.scheduleFlush()
            return mustWait
        case .refuseWrite(let error):
            throw error
        default:
            throw RPCError(.internal, "could not send a response message")
        }
    }

    func writerWait(_ continuation: CheckedContinuation<Void, any Error>) {
        if let endError = machine.endError {
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

    /// The call was cut short: the handler's request stream and writers fail, its task is cancelled.
    private func finishStreaming(with error: RPCError) {
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
        perform(machine.handle(.responseStalled))
        return true
    }

    // MARK: Request timeout, shutdown

    /// Called at the end of the loop iteration that read the headers: the request must still
    /// arrive whole within `requestTimeout` (from about now).
    func armRequestTimerIfStillWaiting() {
        guard requestTimer == nil, case .armRequestTimer = machine.handle(.headersIterationEnded) else { return }
        let timeout = configuration.requestTimeout
        requestTimer = connection.loop.schedule(after: timeout.nanosecondsClamped) { [weak self] in
            guard let self else { return }
            self.requestTimer = nil
            self.connection.reportStreamIncident(.timeout, stream: self.id, Machine.requestTimeoutText(timeout))
            self.perform(self.machine.handle(.requestTimedOut(timeout)))
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
        perform(machine.handle(.shutdown))
    }

    // MARK: Ending the call, writing headers and trailers

    private func end(_ ending: Machine.Ending) {
        if let timer = deadlineTimer {
            connection.loop.cancel(timer)
            deadlineTimer = nil
        }
        cancelRequestTimer()
        switch ending.response {
        case .none: break
        case .trailers(let status, let metadata): submitTrailers(status: status, metadata: metadata)
        case .trailersOnly(let answer): submitTrailersOnly(answer)
        case .httpError(let rejection): submitHTTPError(rejection)
        case .reset(let errorCode): session.resetStream(id, errorCode: errorCode)
        }
        if let errorCode = ending.resetAfterFlush { connection.resetAfterFlush(id, errorCode: errorCode) }
        if let error = ending.cancel { finishStreaming(with: error) }
        releaseRequestBytes()
        if case .none = ending.response { return }
        connection.scheduleFlush()
    }

    /// Submits the response headers unless they went out already; throws when the call is over
    /// or the headers could not be sent (then the call is answered or reset).
    private func sendHeaders(_ metadata: Metadata, gzip: Bool) throws(RPCError) {
        let invalid = machine.headersSent ? nil : MetadataCoding.validate(metadata)
        switch machine.handle(.responseHeaders(gzip: gzip, invalidMetadata: invalid)) {
        case .submitHeaders:
            var fields = ResponseHeaders.ok
            if gzip { fields.append(ResponseHeaders.gzipEncoding) }
            MetadataCoding.encode(metadata, into: &fields)
            do {
                try session.submitResponse(stream: id, headers: fields, endStream: false)
            } catch {
                perform(machine.handle(.headersSubmitFailed(RPCError(.internal, "could not send response headers: \(error)"))))
                throw machine.endError ?? RPCError(.internal, "could not send response headers")
            }
            connection.scheduleFlush()
        case .ignored(.headersAlreadySent):
            return
        case .refuseWrite(let error):
            throw error
        case let action:
            perform(action)
            throw machine.endError ?? RPCError(.internal, "could not send response headers")
        }
    }

    private func submitTrailers(status: Status, metadata: Metadata) {
        if status.code == .ok && status.message.isEmpty && metadata.isEmpty {
            session.submitTrailers(stream: id, headers: ResponseHeaders.okTrailers)  // shared, no allocation
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
    }

    private func submitTrailersOnly(_ answer: Machine.TrailersOnly) {
        var fields = ResponseHeaders.ok
        if answer.acceptEncoding { fields.append(ResponseHeaders.acceptEncoding) }
        if let milliseconds = answer.retryPushbackMilliseconds {
            fields.append(ResponseHeaders.retryPushback(milliseconds: milliseconds))
        }
        appendStatus(answer.status, to: &fields)
        MetadataCoding.encode(answer.metadata, into: &fields)  // skips entries that cannot go on the wire
        do {
            try session.submitResponse(stream: id, headers: fields, endStream: true)
        } catch {
            session.resetStream(id, errorCode: HTTP2ErrorCode.internalError)
        }
    }

    /// A request that is not gRPC (wrong method, content-type or te) gets a real HTTP status
    /// with a short text body, once the client's END_STREAM came (RFC 9113 §8.1: the request is
    /// complete before the server ends the exchange).
    private func submitHTTPError(_ rejection: ServerRequestHead.Rejection) {
        var fields = ResponseHeaders.plainText(httpStatus: rejection.httpStatus)
        appendStatus(rejection.error.status, to: &fields)
        do {
            try session.submitResponse(stream: id, headers: fields, endStream: false)
        } catch {
            session.resetStream(id, errorCode: HTTP2ErrorCode.internalError)
            return
        }
        let text = "\(rejection.error.status.message)\nThis is a gRPC server: call it with a gRPC client.\n"
        session.sendData(stream: id, bytes: Array(text.utf8), endStream: true)
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
