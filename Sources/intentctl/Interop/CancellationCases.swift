internal import GRPCTransport
internal import Messages
internal import RPC

/// cancel_after_begin, cancel_after_first_response and timeout_on_sleeping_server.
enum CancellationCases {
    static func cancelAfterBegin(_ client: InteropClient) async throws {
        let call = client.call("StreamingInputCall")
        call.cancel()
        try expectStatus(await call.status, .cancelled, "StreamingInputCall cancelled after begin")
    }

    static func cancelAfterFirstResponse(_ client: InteropClient) async throws {
        let call = client.call("FullDuplexCall")
        try await call.send(
            StreamingOutputCallRequest(
                responseType: .compressable, responseParameters: [ResponseParameters(size: 31_415)], payload: .zeros(27_182)))
        guard let (response, _) = try await call.receive(StreamingOutputCallResponse.self) else {
            throw InteropFailure("FullDuplexCall ended before the first response")
        }
        try expect(isZeros(response.payload, count: 31_415), "response payload is \(describe(response.payload))")
        call.cancel()
        try expectStatus(await call.status, .cancelled, "FullDuplexCall cancelled after the first response")
    }

    static func timeoutOnSleepingServer(_ client: InteropClient) async throws {
        let call = client.call("FullDuplexCall", timeout: .milliseconds(1))
        // The deadline may pass before the message is queued; the send error is not the point.
        try? await call.send(StreamingOutputCallRequest(payload: .zeros(27_182)))
        try expectStatus(await call.status, .deadlineExceeded, "FullDuplexCall with a 1 ms deadline")
    }
}
