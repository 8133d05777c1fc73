@testable import GRPCTransport
import HTTP2
import RPC
import Testing

/// Every event in every state of a server call: the action the stream must perform and the
/// phase after it. Ignored events must leave the machine exactly as it was.
@Suite struct ServerStreamStateMachineTests {
    typealias Machine = ServerStreamStateMachine
    typealias Action = Machine.Action
    typealias Phase = Machine.Phase

    static let rejection = ServerRequestHead.Rejection(httpStatus: 415, error: RPCError(.internal, "content-type is not gRPC"))
    static let refusal = Machine.TrailersOnly(RPCError(.unimplemented, "no such method"))
    static let problem = RPCError(.resourceExhausted, "over a limit")
    static let invalid = RPCError(.internal, "metadata key 'Bad' is not lowercase")
    static let cut = RPCError(.internal, "a bad message")
    static let alreadyComplete = RPCError(.cancelled, "the call is already complete")
    static let resetByClient = RPCError(.cancelled, "the client cancelled the call (RST_STREAM error code 8)")
    static let stalled = RPCError(.resourceExhausted, "the client stopped reading its responses")
    static let noError = HTTP2ErrorCode.noError

    /// The states of the table, each reached by events from a fresh machine.
    enum Start: CaseIterable, Hashable {
        case fresh, refused, receivingUnary, handlingUnary, offloaded
        case streaming, streamingRequestEnded, streamingHeadersSent
        /// A unary call answered normally (request ended, no end error).
        case answered
        /// A streaming call cut short by a failure while the client still sends.
        case answeredCut
        case closed

        var events: [Machine.Event] {
            switch self {
            case .fresh: []
            case .refused: [.requestHeaders(.notGRPC(rejection), endStream: false)]
            case .receivingUnary: [.requestHeaders(.unary, endStream: false)]
            case .handlingUnary: [.requestHeaders(.unary, endStream: true)]
            case .offloaded: [.requestHeaders(.unary, endStream: true), .offloadStarted]
            case .streaming: [.requestHeaders(.streaming, endStream: false)]
            case .streamingRequestEnded: [.requestHeaders(.streaming, endStream: false), .endStream]
            case .streamingHeadersSent:
                [.requestHeaders(.streaming, endStream: false), .responseHeaders(gzip: true, invalidMetadata: nil)]
            case .answered:
                [
                    .requestHeaders(.unary, endStream: true), .responseHeaders(gzip: false, invalidMetadata: nil),
                    .responseMessage, .responseTrailers(.ok, [:]),
                ]
            case .answeredCut: [.requestHeaders(.streaming, endStream: false), .failed(cut)]
            case .closed: [.requestHeaders(.streaming, endStream: false), .closed(errorCode: 8)]
            }
        }

        var phase: Phase {
            switch self {
            case .fresh: .awaitingHeaders
            case .refused: .refused(rejection)
            case .receivingUnary: .receivingUnary
            case .handlingUnary: .handlingUnary
            case .offloaded: .offloaded
            case .streaming, .streamingRequestEnded, .streamingHeadersSent: .streaming
            case .answered, .answeredCut: .answered
            case .closed: .closed
            }
        }

        var machine: Machine {
            var machine = Machine()
            for event in events { _ = machine.handle(event) }
            return machine
        }
    }

    struct Outcome: Equatable, CustomStringConvertible {
        var action: Action
        /// Nil: the phase stays.
        var phase: Phase?
        init(_ action: Action, _ phase: Phase? = nil) {
            self.action = action
            self.phase = phase
        }
        var description: String { "\(action) → \(phase.map { "\($0)" } ?? "same phase")" }
    }

    static func end(_ response: Machine.Ending.Response, reset: UInt32? = nil, cancel: RPCError? = nil) -> Outcome {
        Outcome(.end(.init(response: response, resetAfterFlush: reset, cancel: cancel)), .answered)
    }

    /// Asserts the outcome of `event` in every state: `cases`, or `otherwise` for the states not listed.
    func check(_ event: Machine.Event, _ cases: [Start: Outcome], otherwise: Outcome? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        for start in Start.allCases {
            guard let expected = cases[start] ?? otherwise else {
                Issue.record("no expectation for \(event) in \(start)", sourceLocation: sourceLocation)
                continue
            }
            var machine = start.machine
            let before = machine
            let action = machine.handle(event)
            #expect(
                Outcome(action, machine.phase) == Outcome(expected.action, expected.phase ?? before.phase), "\(event) in \(start)",
                sourceLocation: sourceLocation)
            if case .ignored = action {
                #expect(machine == before, "ignored \(event) in \(start) changed the machine", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func startsAreWhatTheyAreNamed() {
        for start in Start.allCases { #expect(start.machine.phase == start.phase, "\(start)") }
        #expect(Start.streamingHeadersSent.machine.headersSaidGzip == true)
        #expect(Start.answered.machine.endError == nil)
        #expect(Start.answeredCut.machine.endError == Self.cut)
        #expect(Start.closed.machine.endError == Self.resetByClient)
    }

    // MARK: Request side

    @Test func requestHeadersAreAcceptedOnceAndLaterOnesAreTrailers() {
        let trailers = Outcome(.ignored(.requestTrailers))
        check(.requestHeaders(.unary, endStream: false), [.fresh: Outcome(.awaitBody, .receivingUnary)], otherwise: trailers)
        check(
            .requestHeaders(.streaming, endStream: false), [.fresh: Outcome(.startStreaming(requestEnded: false), .streaming)],
            otherwise: trailers)
        check(
            .requestHeaders(.refused(Self.refusal), endStream: false),
            [.fresh: Self.end(.trailersOnly(Self.refusal), reset: Self.noError)], otherwise: trailers)
        check(
            .requestHeaders(.notGRPC(Self.rejection), endStream: false), [.fresh: Outcome(.awaitBody, .refused(Self.rejection))],
            otherwise: trailers)
        check(.requestTrailers(endStream: false), [:], otherwise: trailers)
    }

    /// END_STREAM, alone or on a later header block.
    static let endStream: [Start: Outcome] = [
        .fresh: Outcome(.none),
        .refused: end(.httpError(rejection)),
        .receivingUnary: Outcome(.completeUnaryRequest, .handlingUnary),
        .handlingUnary: Outcome(.ignored(.requestAlreadyEnded)),
        .offloaded: Outcome(.ignored(.requestAlreadyEnded)),
        .streaming: Outcome(.finishStreamingRequest),
        .streamingRequestEnded: Outcome(.ignored(.requestAlreadyEnded)),
        .streamingHeadersSent: Outcome(.finishStreamingRequest),
        .answered: Outcome(.ignored(.requestAlreadyEnded)),
        .answeredCut: Outcome(.none),
        .closed: Outcome(.ignored(.streamClosed)),
    ]

    @Test func endStream() {
        check(.endStream, Self.endStream)
        check(.requestTrailers(endStream: true), Self.endStream)
        var withHeaders = Self.endStream
        withHeaders[.fresh] = Outcome(.completeUnaryRequest, .handlingUnary)
        check(.requestHeaders(.unary, endStream: true), withHeaders)
        withHeaders[.fresh] = Outcome(.startStreaming(requestEnded: true), .streaming)
        check(.requestHeaders(.streaming, endStream: true), withHeaders)
        withHeaders[.fresh] = Self.end(.httpError(Self.rejection))
        check(.requestHeaders(.notGRPC(Self.rejection), endStream: true), withHeaders)
        withHeaders[.fresh] = Self.end(.trailersOnly(Self.refusal))
        check(.requestHeaders(.refused(Self.refusal), endStream: true), withHeaders)
    }

    @Test func data() {
        check(
            .data,
            [
                .refused: Outcome(.discardData(reopenStreamWindow: true)),
                .receivingUnary: Outcome(.deframeUnary),
                .streaming: Outcome(.deframeStreaming),
                .streamingHeadersSent: Outcome(.deframeStreaming),
            ],
            otherwise: Outcome(.discardData(reopenStreamWindow: false)))
    }

    @Test func requestTimerIsArmedOnlyWhileTheRequestIsAwaited() {
        check(
            .headersIterationEnded, [.refused: Outcome(.armRequestTimer), .receivingUnary: Outcome(.armRequestTimer)],
            otherwise: Outcome(.none))
    }

    // MARK: Failures and expiries

    /// The row of every event that fails the call with `error`.
    func checkFailure(_ event: Machine.Event, _ error: RPCError, sourceLocation: SourceLocation = #_sourceLocation) {
        let whileSending = Self.end(.trailersOnly(.init(error)), reset: Self.noError, cancel: error)
        let afterRequest = Self.end(.trailersOnly(.init(error)), cancel: error)
        check(
            event,
            [
                .fresh: whileSending, .refused: whileSending, .receivingUnary: whileSending, .streaming: whileSending,
                .handlingUnary: afterRequest, .offloaded: afterRequest, .streamingRequestEnded: afterRequest,
                .streamingHeadersSent: Self.end(.trailers(error.status, error.metadata), reset: HTTP2ErrorCode.cancel, cancel: error),
            ],
            otherwise: Outcome(.ignored(.callOver)), sourceLocation: sourceLocation)
    }

    @Test func failures() {
        checkFailure(.failed(Self.problem), Self.problem)
        checkFailure(.deadlineExpired, Machine.deadlineError)
        checkFailure(.shutdown, RPCError(.unavailable, "the server is shutting down"))
        checkFailure(
            .requestTimedOut(.seconds(5)),
            RPCError(.deadlineExceeded, "the request did not arrive whole within 5.0 seconds (server.request_timeout_seconds)"))
    }

    @Test func oversizedRequestTrailersEndTheRequestAndFailTheCall() {
        let afterRequest = Self.end(.trailersOnly(.init(Self.problem)), cancel: Self.problem)
        check(
            .oversizedRequestTrailers(Self.problem, endStream: true),
            [
                .fresh: afterRequest, .refused: afterRequest, .receivingUnary: afterRequest, .streaming: afterRequest,
                .handlingUnary: afterRequest, .offloaded: afterRequest, .streamingRequestEnded: afterRequest,
                .streamingHeadersSent: Self.end(.trailers(Self.problem.status, [:]), cancel: Self.problem),
                .answeredCut: Outcome(.ignored(.callOver)),
            ],
            otherwise: Outcome(.ignored(.callOver)))
        var machine = Start.streaming.machine
        _ = machine.handle(.oversizedRequestTrailers(Self.problem, endStream: true))
        #expect(machine.requestEnded)
    }

    @Test func responseStallResetsEvenAfterTheTrailers() {
        check(
            .responseStalled, [.closed: Outcome(.ignored(.streamClosed))],
            otherwise: Self.end(.reset(errorCode: HTTP2ErrorCode.enhanceYourCalm), cancel: Self.stalled))
        var machine = Start.answeredCut.machine
        _ = machine.handle(.responseStalled)
        #expect(machine.endError == Self.cut, "the first end error stays")
    }

    @Test func closedCancelsWithTheFirstEndError() {
        let byClient = Outcome(.end(.init(response: .none, cancel: Self.resetByClient)), .closed)
        check(
            .closed(errorCode: 8),
            [
                .answeredCut: Outcome(.end(.init(response: .none, cancel: Self.cut)), .closed),
                .closed: Outcome(.ignored(.streamClosed)),
            ],
            otherwise: byClient)
        var machine = Start.streaming.machine
        #expect(
            machine.handle(.closed(errorCode: Self.noError))
                == .end(.init(response: .none, cancel: RPCError(.cancelled, "the stream closed before the call completed"))))
    }

    // MARK: Offload

    @Test func offload() {
        check(.offloadStarted, [.handlingUnary: Outcome(.startOffload, .offloaded)], otherwise: Outcome(.ignored(.notHandlingUnary)))
        var busy = Machine.TrailersOnly(
            RPCError(.unavailable, "the server is busy: 4 calls are already waiting for models to load; retry shortly"))
        busy.retryPushbackMilliseconds = 200
        check(
            .offloadRefused(maxCalls: 4), [.handlingUnary: Self.end(.trailersOnly(busy))],
            otherwise: Outcome(.ignored(.notHandlingUnary)))
        check(
            .offloadFinished, [.offloaded: Outcome(.deliverOffloadedAnswer, .handlingUnary)],
            otherwise: Outcome(.ignored(.notOffloaded)))
    }

    @Test func anOffloadedAnswerAfterAResetIsDropped() {
        var machine = Start.offloaded.machine
        _ = machine.handle(.closed(errorCode: 8))
        #expect(machine.handle(.offloadFinished) == .ignored(.notOffloaded))
        #expect(machine.handle(.responseTrailers(.ok, [:])) == .ignored(.callOver))
    }

    // MARK: Response side

    /// What a writer's call gets in the states where no handler answers, or after the end.
    static let notAnswering: [Start: Outcome] = [
        .fresh: Outcome(.ignored(.notAnswering)), .refused: Outcome(.ignored(.notAnswering)),
        .receivingUnary: Outcome(.ignored(.notAnswering)), .offloaded: Outcome(.ignored(.notAnswering)),
        .answered: Outcome(.refuseWrite(alreadyComplete)), .answeredCut: Outcome(.refuseWrite(cut)),
        .closed: Outcome(.refuseWrite(resetByClient)),
    ]

    @Test func responseHeaders() {
        var cases = Self.notAnswering
        cases[.handlingUnary] = Outcome(.submitHeaders(gzip: true))
        cases[.streaming] = Outcome(.submitHeaders(gzip: true))
        cases[.streamingRequestEnded] = Outcome(.submitHeaders(gzip: true))
        cases[.streamingHeadersSent] = Outcome(.ignored(.headersAlreadySent))
        check(.responseHeaders(gzip: true, invalidMetadata: nil), cases)

        cases[.handlingUnary] = Self.end(.trailersOnly(.init(Self.invalid)))
        cases[.streaming] = Self.end(.trailersOnly(.init(Self.invalid)), reset: Self.noError)
        cases[.streamingRequestEnded] = Self.end(.trailersOnly(.init(Self.invalid)))
        check(.responseHeaders(gzip: false, invalidMetadata: Self.invalid), cases)

        var machine = Start.streaming.machine
        _ = machine.handle(.responseHeaders(gzip: false, invalidMetadata: nil))
        #expect(machine.headersSent && machine.headersSaidGzip == false)
        #expect(machine.handle(.responseMessage) == .sendMessage(gzip: false))
    }

    @Test func responseMessage() {
        var cases = Self.notAnswering
        cases[.handlingUnary] = Outcome(.ignored(.headersNotSent))
        cases[.streaming] = Outcome(.ignored(.headersNotSent))
        cases[.streamingRequestEnded] = Outcome(.ignored(.headersNotSent))
        cases[.streamingHeadersSent] = Outcome(.sendMessage(gzip: true))
        check(.responseMessage, cases)
    }

    @Test func responseTrailers() {
        let status = Status(code: .notFound, message: "no such tenant")
        let metadata: Metadata = ["x-reason": "gone"]
        let trailersOnly = Machine.TrailersOnly(status: status, metadata: metadata)
        check(
            .responseTrailers(status, metadata),
            [
                .fresh: Outcome(.ignored(.notAnswering)), .refused: Outcome(.ignored(.notAnswering)),
                .receivingUnary: Outcome(.ignored(.notAnswering)), .offloaded: Outcome(.ignored(.notAnswering)),
                .handlingUnary: Self.end(.trailersOnly(trailersOnly)),
                .streaming: Self.end(.trailersOnly(trailersOnly), reset: Self.noError),
                .streamingRequestEnded: Self.end(.trailersOnly(trailersOnly)),
                .streamingHeadersSent: Self.end(.trailers(status, metadata), reset: Self.noError),
            ],
            otherwise: Outcome(.ignored(.callOver)))
    }

    @Test func headersSubmitFailed() {
        let reset = Self.end(.reset(errorCode: HTTP2ErrorCode.internalError), cancel: Self.problem)
        check(
            .headersSubmitFailed(Self.problem),
            [
                .fresh: Outcome(.ignored(.notAnswering)), .refused: Outcome(.ignored(.notAnswering)),
                .receivingUnary: Outcome(.ignored(.notAnswering)), .offloaded: Outcome(.ignored(.notAnswering)),
                .handlingUnary: reset, .streaming: reset, .streamingRequestEnded: reset, .streamingHeadersSent: reset,
            ],
            otherwise: Outcome(.ignored(.callOver)))
    }

    // MARK: Whole calls and arbitrary sequences

    @Test func aUnaryCallFromHeadersToClose() {
        var machine = Machine()
        #expect(machine.handle(.requestHeaders(.unary, endStream: false)) == .awaitBody)
        #expect(machine.handle(.data) == .deframeUnary)
        #expect(machine.handle(.endStream) == .completeUnaryRequest)
        #expect(machine.handle(.responseHeaders(gzip: false, invalidMetadata: nil)) == .submitHeaders(gzip: false))
        #expect(machine.handle(.responseMessage) == .sendMessage(gzip: false))
        #expect(machine.handle(.responseTrailers(.ok, [:])) == .end(.init(response: .trailers(.ok, [:]))))
        #expect(machine.responded && machine.endError == nil)
        #expect(machine.handle(.deadlineExpired) == .ignored(.callOver))
        #expect(
            machine.handle(.closed(errorCode: Self.noError))
                == .end(.init(response: .none, cancel: RPCError(.cancelled, "the stream closed before the call completed"))))
    }

    static let allEvents: [Machine.Event] = [
        .requestHeaders(.unary, endStream: false), .requestHeaders(.unary, endStream: true),
        .requestHeaders(.streaming, endStream: false), .requestHeaders(.refused(refusal), endStream: false),
        .requestHeaders(.notGRPC(rejection), endStream: false), .requestTrailers(endStream: false),
        .requestTrailers(endStream: true), .oversizedRequestTrailers(problem, endStream: false), .data, .endStream,
        .closed(errorCode: 8), .headersIterationEnded, .deadlineExpired, .requestTimedOut(.seconds(1)), .responseStalled,
        .shutdown, .failed(problem), .offloadStarted, .offloadRefused(maxCalls: 1), .offloadFinished,
        .responseHeaders(gzip: true, invalidMetadata: nil), .responseHeaders(gzip: false, invalidMetadata: invalid),
        .responseMessage, .responseTrailers(.ok, [:]), .headersSubmitFailed(problem),
    ]

    /// Random event sequences never trap; once answered a call never answers again, and
    /// once closed nothing changes it.
    @Test func arbitrarySequencesKeepTheInvariants() {
        var generator = SplitMix(seed: 10)
        for _ in 0..<2_000 {
            var machine = Machine()
            var answers = 0
            for _ in 0..<12 {
                let event = Self.allEvents[Int(generator.next() % UInt64(Self.allEvents.count))]
                let wasClosed = machine.phase == .closed
                let before = machine
                let action = machine.handle(event)
                if case .end(let ending) = action, ending.response != .none, ending.response != .reset(errorCode: HTTP2ErrorCode.enhanceYourCalm) {
                    answers += 1
                }
                if wasClosed { #expect(machine == before, "\(event) changed a closed call") }
                if before.responded { #expect(machine.responded) }
            }
            #expect(answers <= 1, "a call answered \(answers) times")
        }
    }
}

/// A small deterministic generator, so that a failing sequence repeats.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
