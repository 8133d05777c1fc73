internal import HTTP2
internal import RPC

/// The life of one server call as a value: the call's phase, whether the response headers went
/// out, whether the client half-closed, and the error its writers see once it ended.
///
/// `ServerStream` feeds it every event and performs the action it returns; the machine does no
/// I/O and owns no timer, task, buffer or budget. An event that does not apply in the current
/// state returns `.ignored(reason)` (or, for a writer, `.refuseWrite`) and changes nothing.
///
/// ```
/// awaitingHeaders ─headers .unary──────► receivingUnary ─END_STREAM─► handlingUnary ◄─offload finished─┐
///        │        ─headers .streaming──► streaming (the handler task answers)       └─offload started─► offloaded
///        │        ─headers .notGRPC────► refused ─END_STREAM─► (HTTP error) ─┐
///        └────────headers .refused─────► (Trailers-Only) ────────────────────┤
/// handlingUnary / streaming: response headers → messages → trailers ─────────┤
/// fail (bad message, budget, deadline, request timeout, shutdown) ───────────┼──► answered ─stream closed─► closed
/// response stall / headers not submitted: RST_STREAM ────────────────────────┘    (every phase, too)
/// ```
struct ServerStreamStateMachine: Equatable {
    enum Phase: Hashable {
        /// No request headers yet.
        case awaitingHeaders
        /// Not a gRPC request: its body is discarded and this HTTP error is sent at END_STREAM.
        case refused(ServerRequestHead.Rejection)
        /// A unary request whose one message is still arriving.
        case receivingUnary
        /// The unary request is whole: its handler answers (inline, or back from off the loop).
        case handlingUnary
        /// The unary handler runs off the loop.
        case offloaded
        /// The streaming handler runs in its task and answers through its writer.
        case streaming
        /// The response is complete: trailers, Trailers-Only, an HTTP error or RST_STREAM submitted.
        case answered
        /// The stream is gone from the session.
        case closed
    }

    /// What the request's headers turned out to be (checked, routed and admitted by the stream).
    enum RequestHead: Hashable {
        case unary, streaming
        /// Answered at once with Trailers-Only (bad gRPC header, unknown method, admission refused).
        case refused(TrailersOnly)
        /// Not gRPC at all: an HTTP error with a text body once the request has ended.
        case notGRPC(ServerRequestHead.Rejection)
    }

    enum Event: Hashable {
        /// The first header block (a later one is the request's trailers).
        case requestHeaders(RequestHead, endStream: Bool)
        case requestTrailers(endStream: Bool)
        /// Request trailers over SETTINGS_MAX_HEADER_LIST_SIZE.
        case oversizedRequestTrailers(RPCError, endStream: Bool)
        /// `headersIterationEnded`: the loop iteration that read the headers ended.
        case data, endStream, headersIterationEnded
        /// The stream is gone from the session (completed, reset by either side, connection closed).
        case closed(errorCode: UInt32)
        case deadlineExpired, requestTimedOut(Duration), responseStalled, shutdown
        /// A bad request message, a budget refusal, a response that could not be framed.
        case failed(RPCError)
        case offloadStarted, offloadRefused(maxCalls: Int), offloadFinished
        /// `invalidMetadata`: why the headers' metadata cannot go on the wire, if it cannot.
        case responseHeaders(gzip: Bool, invalidMetadata: RPCError?)
        case responseMessage, responseTrailers(Status, Metadata)
        /// The session refused the response headers.
        case headersSubmitFailed(RPCError)
    }

    enum Action: Hashable {
        case none, ignored(Ignored)
        /// `awaitBody`: arm the request timer at the end of this iteration unless the request is whole by then.
        case awaitBody, armRequestTimer, deframeUnary, deframeStreaming
        /// `reopenStreamWindow`: the client may finish its body (refused); otherwise the stream's window stays shut.
        case discardData(reopenStreamWindow: Bool)
        /// `completeUnaryRequest`: finish deframing; run the handler with the one message, or fail.
        /// `finishStreamingRequest`: finish deframing and the handler's request stream.
        case completeUnaryRequest, startStreaming(requestEnded: Bool), finishStreamingRequest
        case startOffload, deliverOffloadedAnswer, submitHeaders(gzip: Bool), sendMessage(gzip: Bool)
        /// A writer's call after the end: it throws this.
        case refuseWrite(RPCError)
        case end(Ending)
    }

    enum Ignored: Hashable {
        case callOver, streamClosed, requestAlreadyEnded, requestTrailers
        /// No handler answers in this phase.
        case notAnswering
        case headersAlreadySent, headersNotSent, notHandlingUnary, notOffloaded
    }

    /// How the call ends. The stream then cancels its timers and releases its request bytes.
    struct Ending: Hashable {
        enum Response: Hashable {
            /// Nothing to send: the stream is gone.
            case none
            case trailers(Status, Metadata)
            case trailersOnly(TrailersOnly)
            case httpError(ServerRequestHead.Rejection)
            case reset(errorCode: UInt32)
        }
        var response: Response
        /// RST_STREAM once the response has left: the client is still sending (RFC 9113 §8.1).
        var resetAfterFlush: UInt32? = nil
        /// Fail the handler's request stream and writers with this, and cancel its task.
        var cancel: RPCError? = nil
    }

    /// A response of one HEADERS frame (HTTP 200, grpc-status), ending the stream.
    struct TrailersOnly: Hashable {
        var status: Status
        var metadata: Metadata
        var acceptEncoding = false
        var retryPushbackMilliseconds: Int? = nil
    }

    private(set) var phase: Phase = .awaitingHeaders
    /// Nil until the response headers are submitted; then whether they said `grpc-encoding: gzip`.
    private(set) var headersSaidGzip: Bool? = nil
    /// The client sent END_STREAM.
    private(set) var requestEnded = false
    /// What the handler's writers and request stream see once the call was cut short.
    private(set) var endError: RPCError? = nil

    var headersSent: Bool { headersSaidGzip != nil }
    /// The response is complete (or the stream gone).
    var responded: Bool { phase == .answered || phase == .closed }

    static let deadlineError = RPCError(.deadlineExceeded, "the call's deadline (grpc-timeout) expired before it completed")

    static func requestTimeoutText(_ timeout: Duration) -> String {
        "the request did not arrive whole within \(timeout) (server.request_timeout_seconds)"
    }

    mutating func handle(_ event: Event) -> Action {
        switch event {
        case .requestHeaders(let head, let endStream):
            return requestHeaders(head, endStream: endStream)
        case .requestTrailers(let endStream):
            return endStream ? self.endStream() : .ignored(.requestTrailers)
        case .oversizedRequestTrailers(let error, let endStream):
            guard !responded else { return .ignored(.callOver) }
            if endStream { requestEnded = true }
            return fail(error)
        case .data:
            return data()
        case .endStream:
            return self.endStream()
        case .closed(let errorCode):
            return closed(errorCode: errorCode)
        case .headersIterationEnded:
            switch phase {
            case .receivingUnary, .refused: return requestEnded ? .none : .armRequestTimer
            default: return .none
            }
        case .deadlineExpired:
            return fail(Self.deadlineError)
        case .requestTimedOut(let timeout):
            return fail(RPCError(.deadlineExceeded, Self.requestTimeoutText(timeout)))
        case .shutdown:
            return fail(RPCError(.unavailable, "the server is shutting down"))
        case .failed(let error):
            return fail(error)
        case .responseStalled:
            return reset(RPCError(.resourceExhausted, "the client stopped reading its responses"), HTTP2ErrorCode.enhanceYourCalm)
        case .headersSubmitFailed(let error):
            guard isAnswering else { return .ignored(responded ? .callOver : .notAnswering) }
            return reset(error, HTTP2ErrorCode.internalError)
        case .offloadStarted:
            guard phase == .handlingUnary else { return .ignored(.notHandlingUnary) }
            phase = .offloaded
            return .startOffload
        case .offloadRefused(let maxCalls):
            guard phase == .handlingUnary else { return .ignored(.notHandlingUnary) }
            var answer = TrailersOnly(
                RPCError(
                    .unavailable,
                    "the server is busy: \(maxCalls) calls are already waiting for models to load; retry shortly"))
            answer.retryPushbackMilliseconds = 200
            return end(.trailersOnly(answer))
        case .offloadFinished:
            guard phase == .offloaded else { return .ignored(.notOffloaded) }
            phase = .handlingUnary
            return .deliverOffloadedAnswer
        case .responseHeaders(let gzip, let invalidMetadata):
            if let refusal = writeRefusal() { return refusal }
            guard !headersSent else { return .ignored(.headersAlreadySent) }
            if let invalidMetadata {
                return end(.trailersOnly(TrailersOnly(invalidMetadata)), resetAfterFlush: HTTP2ErrorCode.noError)
            }
            headersSaidGzip = gzip
            return .submitHeaders(gzip: gzip)
        case .responseMessage:
            if let refusal = writeRefusal() { return refusal }
            guard let gzip = headersSaidGzip else { return .ignored(.headersNotSent) }
            return .sendMessage(gzip: gzip)
        case .responseTrailers(let status, let metadata):
            guard isAnswering else { return .ignored(responded ? .callOver : .notAnswering) }
            let response: Ending.Response =
                headersSent ? .trailers(status, metadata) : .trailersOnly(TrailersOnly(status: status, metadata: metadata))
            return end(response, resetAfterFlush: HTTP2ErrorCode.noError)
        }
    }

    private var isAnswering: Bool { phase == .handlingUnary || phase == .streaming }

    /// Why a writer's call fails, nil when it may go on.
    private func writeRefusal() -> Action? {
        if responded { return .refuseWrite(endError ?? RPCError(.cancelled, "the call is already complete")) }
        return isAnswering ? nil : .ignored(.notAnswering)
    }

    private mutating func requestHeaders(_ head: RequestHead, endStream: Bool) -> Action {
        // A second header block is the request's trailers: gRPC clients send none; END_STREAM counts.
        guard phase == .awaitingHeaders else { return endStream ? self.endStream() : .ignored(.requestTrailers) }
        requestEnded = endStream
        switch head {
        case .refused(let answer):
            return end(.trailersOnly(answer), resetAfterFlush: HTTP2ErrorCode.noError)
        case .notGRPC(let rejection):
            if endStream { return end(.httpError(rejection)) }
            phase = .refused(rejection)
            return .awaitBody
        case .unary:
            phase = endStream ? .handlingUnary : .receivingUnary
            return endStream ? .completeUnaryRequest : .awaitBody
        case .streaming:
            phase = .streaming
            return .startStreaming(requestEnded: endStream)
        }
    }

    private func data() -> Action {
        // DATA after END_STREAM cannot pass the session; if it did, it would be discarded too.
        guard !requestEnded else { return .discardData(reopenStreamWindow: false) }
        switch phase {
        case .receivingUnary: return .deframeUnary
        case .streaming: return .deframeStreaming
        case .refused: return .discardData(reopenStreamWindow: true)
        case .awaitingHeaders, .handlingUnary, .offloaded, .answered, .closed: return .discardData(reopenStreamWindow: false)
        }
    }

    private mutating func endStream() -> Action {
        guard phase != .closed else { return .ignored(.streamClosed) }
        guard !requestEnded else { return .ignored(.requestAlreadyEnded) }
        requestEnded = true
        switch phase {
        case .receivingUnary:
            phase = .handlingUnary
            return .completeUnaryRequest
        case .streaming:
            return .finishStreamingRequest
        case .refused(let rejection):
            return end(.httpError(rejection))
        case .awaitingHeaders, .handlingUnary, .offloaded, .answered, .closed:
            return .none
        }
    }

    private mutating func closed(errorCode: UInt32) -> Action {
        guard phase != .closed else { return .ignored(.streamClosed) }
        let error =
            errorCode == HTTP2ErrorCode.noError
            ? RPCError(.cancelled, "the stream closed before the call completed")
            : RPCError(.cancelled, "the client cancelled the call (RST_STREAM error code \(errorCode))")
        let ending = end(.none, cancel: endError ?? error)
        phase = .closed
        return ending
    }

    /// Ends the call with `error`: trailers (or Trailers-Only) now, the handler cancelled.
    private mutating func fail(_ error: RPCError) -> Action {
        guard !responded else { return .ignored(.callOver) }
        if headersSent {
            return end(.trailers(error.status, error.metadata), resetAfterFlush: HTTP2ErrorCode.cancel, cancel: error)
        }
        return end(.trailersOnly(TrailersOnly(error)), resetAfterFlush: HTTP2ErrorCode.noError, cancel: error)
    }

    /// RST_STREAM now (queued response dropped), the handler cancelled; also after the trailers
    /// while they wait in the queue.
    private mutating func reset(_ error: RPCError, _ errorCode: UInt32) -> Action {
        guard phase != .closed else { return .ignored(.streamClosed) }
        return end(.reset(errorCode: errorCode), cancel: error)
    }

    /// `resetAfterFlush` applies only while the client is still sending.
    private mutating func end(_ response: Ending.Response, resetAfterFlush: UInt32? = nil, cancel: RPCError? = nil) -> Action {
        phase = .answered
        if endError == nil { endError = cancel }
        return .end(Ending(response: response, resetAfterFlush: requestEnded ? nil : resetAfterFlush, cancel: cancel))
    }
}

extension ServerStreamStateMachine.TrailersOnly {
    init(_ error: RPCError, acceptEncoding: Bool = false) {
        self.init(status: error.status, metadata: error.metadata, acceptEncoding: acceptEncoding)
    }
}
