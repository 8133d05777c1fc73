internal import GRPCTransport
internal import Messages

/// empty_unary, large_unary and very_large_request.
enum UnaryCases {
    static func emptyUnary(_ client: InteropClient) async throws {
        let (_, reply) = try await client.unary("EmptyCall", Empty(), as: Empty.self)
        try expect(reply.message.isEmpty, "EmptyCall returned \(reply.message.count) bytes, want an empty message")
    }

    static func largeUnary(_ client: InteropClient) async throws {
        let request = SimpleRequest(responseType: .compressable, responseSize: 314_159, payload: .zeros(271_828))
        let (response, _) = try await client.unary("UnaryCall", request, as: SimpleResponse.self)
        try expect(isZeros(response.payload, count: 314_159), "response payload is \(describe(response.payload)), want 314159 zero bytes")
    }

    /// The 10 MiB request (grpc-java's extra case); servers must accept messages up to 16 MiB.
    static func veryLargeRequest(_ client: InteropClient) async throws {
        let request = SimpleRequest(responseType: .compressable, responseSize: 10, payload: .zeros(10 * 1024 * 1024))
        let (response, _) = try await client.unary("UnaryCall", request, as: SimpleResponse.self, timeout: .seconds(60))
        try expect(isZeros(response.payload, count: 10), "response payload is \(describe(response.payload)), want 10 zero bytes")
    }
}
