internal import GRPCTransport
internal import Messages
internal import RPC

/// client_compressed_unary, server_compressed_unary, client_compressed_streaming and
/// server_compressed_streaming, each with the spec's feature probe where it has one: a request
/// that claims to be compressed (`expect_compressed`) but is not must fail with INVALID_ARGUMENT.
enum CompressionCases {
    static func clientCompressedUnary(_ client: InteropClient) async throws {
        func request(expectCompressed: Bool) -> SimpleRequest {
            SimpleRequest(
                responseType: .compressable, responseSize: 314_159, payload: .zeros(271_828),
                expectCompressed: BoolValue(expectCompressed))
        }
        try await expectStatus(.invalidArgument, "probe (expect_compressed=true, sent uncompressed)") {
            _ = try await client.unary("UnaryCall", request(expectCompressed: true), as: SimpleResponse.self)
        }
        for compressed in [true, false] {
            let (response, _) = try await client.unary(
                "UnaryCall", request(expectCompressed: compressed), as: SimpleResponse.self,
                compression: compressed ? .gzip : .identity)
            try expect(
                isZeros(response.payload, count: 314_159),
                "compressed=\(compressed): response payload is \(describe(response.payload)), want 314159 zero bytes")
        }
    }

    static func serverCompressedUnary(_ client: InteropClient) async throws {
        for compressed in [true, false] {
            let request = SimpleRequest(
                responseType: .compressable, responseSize: 314_159, payload: .zeros(271_828),
                responseCompressed: BoolValue(compressed))
            let (response, reply) = try await client.unary("UnaryCall", request, as: SimpleResponse.self)
            try expect(
                reply.messageWasCompressed == compressed,
                "response_compressed=\(compressed): the response's compressed flag is \(reply.messageWasCompressed)")
            try expect(
                isZeros(response.payload, count: 314_159),
                "response_compressed=\(compressed): response payload is \(describe(response.payload)), want 314159 zero bytes")
        }
    }

    static func clientCompressedStreaming(_ client: InteropClient) async throws {
        try await expectStatus(.invalidArgument, "probe (expect_compressed=true, sent uncompressed)") {
            let probe = client.call("StreamingInputCall")
            try await probe.send(StreamingInputCallRequest(payload: .zeros(27_182), expectCompressed: true))
            probe.closeSend()
            while try await probe.receive() != nil {}
        }
        let call = client.call("StreamingInputCall", compression: .gzip)
        try await call.send(StreamingInputCallRequest(payload: .zeros(27_182), expectCompressed: true), compress: true)
        try await call.send(StreamingInputCallRequest(payload: .zeros(45_904), expectCompressed: false), compress: false)
        call.closeSend()
        guard let (response, _) = try await call.receive(StreamingInputCallResponse.self) else {
            throw InteropFailure("StreamingInputCall ended without a response")
        }
        try expect(
            response.aggregatedPayloadSize == 73_086, "aggregated_payload_size is \(response.aggregatedPayloadSize), want 73086")
        try expect(try await call.receive() == nil, "StreamingInputCall sent more than one response")
    }

    static func serverCompressedStreaming(_ client: InteropClient) async throws {
        let request = StreamingOutputCallRequest(
            responseType: .compressable,
            responseParameters: [
                ResponseParameters(size: 31_415, compressed: true),
                ResponseParameters(size: 92_653, compressed: false),
            ])
        let call = client.call("StreamingOutputCall")
        try await call.send(request)
        call.closeSend()
        for (index, (size, compressed)) in [(31_415, true), (92_653, false)].enumerated() {
            guard let (response, wasCompressed) = try await call.receive(StreamingOutputCallResponse.self) else {
                throw InteropFailure("got \(index) responses, want 2")
            }
            try expect(isZeros(response.payload, count: size), "response #\(index + 1) payload is \(describe(response.payload)), want \(size) zero bytes")
            try expect(wasCompressed == compressed, "response #\(index + 1) compressed flag is \(wasCompressed), want \(compressed)")
        }
        try expect(try await call.receive() == nil, "got more than 2 responses")
    }
}
