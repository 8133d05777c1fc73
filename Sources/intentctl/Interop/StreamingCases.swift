internal import GRPCTransport
internal import Messages

/// client_streaming, server_streaming, ping_pong and empty_stream.
enum StreamingCases {
    static let requestSizes = [27_182, 8, 1_828, 45_904]
    static let responseSizes: [Int32] = [31_415, 9, 2_653, 58_979]

    static func clientStreaming(_ client: InteropClient) async throws {
        let call = client.call("StreamingInputCall")
        for size in requestSizes {
            try await call.send(StreamingInputCallRequest(payload: .zeros(size)))
        }
        call.closeSend()
        guard let (response, _) = try await call.receive(StreamingInputCallResponse.self) else {
            throw InteropFailure("StreamingInputCall ended without a response")
        }
        try expect(
            response.aggregatedPayloadSize == 74_922, "aggregated_payload_size is \(response.aggregatedPayloadSize), want 74922")
        try expect(try await call.receive() == nil, "StreamingInputCall sent more than one response")
    }

    static func serverStreaming(_ client: InteropClient) async throws {
        let request = StreamingOutputCallRequest(
            responseType: .compressable, responseParameters: responseSizes.map { ResponseParameters(size: $0) })
        let call = client.call("StreamingOutputCall")
        try await call.send(request)
        call.closeSend()
        var count = 0
        while let (response, _) = try await call.receive(StreamingOutputCallResponse.self) {
            try expect(count < responseSizes.count, "got more than \(responseSizes.count) responses")
            let size = Int(responseSizes[count])
            try expect(isZeros(response.payload, count: size), "response #\(count + 1) payload is \(describe(response.payload)), want \(size) zero bytes")
            count += 1
        }
        try expect(count == responseSizes.count, "got \(count) responses, want \(responseSizes.count)")
    }

    static func pingPong(_ client: InteropClient) async throws {
        let call = client.call("FullDuplexCall")
        for (index, (requestSize, responseSize)) in zip(requestSizes, responseSizes).enumerated() {
            try await call.send(
                StreamingOutputCallRequest(
                    responseType: .compressable, responseParameters: [ResponseParameters(size: responseSize)],
                    payload: .zeros(requestSize)))
            guard let (response, _) = try await call.receive(StreamingOutputCallResponse.self) else {
                throw InteropFailure("the call ended after \(index) responses, want 4")
            }
            try expect(
                isZeros(response.payload, count: Int(responseSize)),
                "response #\(index + 1) payload is \(describe(response.payload)), want \(responseSize) zero bytes")
        }
        call.closeSend()
        try expect(try await call.receive() == nil, "got more than 4 responses")
    }

    static func emptyStream(_ client: InteropClient) async throws {
        let call = client.call("FullDuplexCall")
        call.closeSend()
        try expect(try await call.receive() == nil, "got a response, want none")
    }
}
