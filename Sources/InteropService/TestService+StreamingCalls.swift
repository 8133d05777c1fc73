internal import Messages
internal import RPC

/// The streaming methods; each runs in its own task, which the transport cancels when the
/// client resets the stream or the deadline passes (sleeps and reads then throw).
extension TestService {
    /// `StreamingOutputCall`: one response per `ResponseParameters`, each after `interval_us`,
    /// compressed when its `compressed` says so; then the requested status, if any.
    static func streamingOutputCall(_ call: StreamingCall) async throws -> Metadata {
        let echo = EchoedMetadata(from: call.info.requestMetadata)
        let request = try await RequestChecks.single(StreamingOutputCallRequest.self, from: call.requests)
        try await echo.sendInitial(on: call.responses)
        try await respond(to: request, on: call.responses)
        if let failure = echo.requestedFailure(request.responseStatus) { throw failure }
        return echo.trailing
    }

    /// `StreamingInputCall`: after half-close, the sum of every request's payload size.
    static func streamingInputCall(_ call: StreamingCall) async throws -> Metadata {
        let echo = EchoedMetadata(from: call.info.requestMetadata)
        try await echo.sendInitial(on: call.responses)
        var total = 0
        for try await message in call.requests {
            let request = try RequestChecks.decode(StreamingInputCallRequest.self, message.bytes)
            try RequestChecks.checkCompression(expected: request.expectCompressed, wasCompressed: message.wasCompressed)
            total += request.payload?.body.count ?? 0
        }
        let response = StreamingInputCallResponse(aggregatedPayloadSize: Int32(clamping: total))
        try await call.responses.send(response.serializedBytes())
        return echo.trailing
    }

    /// `FullDuplexCall`: answers each request as it arrives; a request with a non-OK
    /// `response_status` ends the call with that status, reading nothing more.
    static func fullDuplexCall(_ call: StreamingCall) async throws -> Metadata {
        let echo = EchoedMetadata(from: call.info.requestMetadata)
        try await echo.sendInitial(on: call.responses)
        for try await message in call.requests {
            let request = try RequestChecks.decode(StreamingOutputCallRequest.self, message.bytes)
            if let failure = echo.requestedFailure(request.responseStatus) { throw failure }
            try await respond(to: request, on: call.responses)
        }
        return echo.trailing
    }

    /// How many request bytes `HalfDuplexCall` holds before half-close at most.
    static let maxHalfDuplexBufferedBytes = 64 << 20

    /// `HalfDuplexCall`: buffers every request until half-close, then answers them in order.
    static func halfDuplexCall(_ call: StreamingCall) async throws -> Metadata {
        let echo = EchoedMetadata(from: call.info.requestMetadata)
        var requests: [StreamingOutputCallRequest] = []
        var bufferedBytes = 0
        for try await message in call.requests {
            bufferedBytes += message.bytes.count
            guard bufferedBytes <= maxHalfDuplexBufferedBytes else {
                throw RPCError(
                    .resourceExhausted,
                    "HalfDuplexCall buffers requests until half-close: more than \(maxHalfDuplexBufferedBytes) bytes sent")
            }
            requests.append(try RequestChecks.decode(StreamingOutputCallRequest.self, message.bytes))
        }
        try await echo.sendInitial(on: call.responses)
        for request in requests {
            if let failure = echo.requestedFailure(request.responseStatus) { throw failure }
            try await respond(to: request, on: call.responses)
        }
        return echo.trailing
    }

    /// Sends one `StreamingOutputCallResponse` per parameter set, sleeping `interval_us` before
    /// each. Every parameter set is checked before the first response goes out.
    private static func respond(to request: StreamingOutputCallRequest, on responses: any ResponseStreamWriter)
        async throws
    {
        for parameters in request.responseParameters {
            try RequestChecks.checkPayloadRequest(type: request.responseType, size: parameters.size)
        }
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 { try await Task.sleep(for: .microseconds(parameters.intervalUs)) }
            let response = StreamingOutputCallResponse(payload: .zeros(Int(parameters.size)))
            try await responses.send(response.serializedBytes(), compress: parameters.compressed?.value ?? false)
        }
    }
}
