internal import GRPCTransport
internal import Messages
internal import RPC

/// custom_metadata, status_code_and_message, special_status_message, unimplemented_method
/// and unimplemented_service.
enum StatusCases {
    static let echoInitialKey = "x-grpc-test-echo-initial"
    static let echoInitialValue = "test_initial_metadata_value"
    static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"
    static let echoTrailingValue: [UInt8] = [0xab, 0xab, 0xab]

    static func customMetadata(_ client: InteropClient) async throws {
        var metadata = Metadata()
        metadata.add(echoInitialKey, echoInitialValue)
        metadata.add(echoTrailingKey, binary: echoTrailingValue)

        let request = SimpleRequest(responseType: .compressable, responseSize: 314_159, payload: .zeros(271_828))
        let (response, reply) = try await client.unary("UnaryCall", request, as: SimpleResponse.self, metadata: metadata)
        try expect(isZeros(response.payload, count: 314_159), "UnaryCall payload is \(describe(response.payload))")
        try checkEcho(initial: reply.initialMetadata, trailing: reply.trailingMetadata, "UnaryCall")

        let call = client.call("FullDuplexCall", metadata: metadata)
        try await call.send(
            StreamingOutputCallRequest(
                responseType: .compressable, responseParameters: [ResponseParameters(size: 314_159)],
                payload: .zeros(271_828)))
        call.closeSend()
        guard let (streamed, _) = try await call.receive(StreamingOutputCallResponse.self) else {
            throw InteropFailure("FullDuplexCall ended without a response")
        }
        try expect(isZeros(streamed.payload, count: 314_159), "FullDuplexCall payload is \(describe(streamed.payload))")
        try expect(try await call.receive() == nil, "FullDuplexCall sent more than one response")
        try checkEcho(initial: await call.initialMetadata, trailing: await call.trailingMetadata, "FullDuplexCall")
    }

    private static func checkEcho(initial: Metadata, trailing: Metadata, _ what: String) throws {
        let echoedInitial = initial.first(echoInitialKey)
        try expect(
            echoedInitial == echoInitialValue,
            "\(what): initial metadata \(echoInitialKey) is \(echoedInitial.map { String(reflecting: $0) } ?? "missing")")
        let echoedTrailing = trailing.firstBinary(echoTrailingKey)
        try expect(
            echoedTrailing == echoTrailingValue,
            "\(what): trailing metadata \(echoTrailingKey) is \(echoedTrailing.map { "\($0)" } ?? "missing")")
    }

    static func statusCodeAndMessage(_ client: InteropClient) async throws {
        let message = "test status message"
        try await expectEchoedStatus(client, message: message)
    }

    static func specialStatusMessage(_ client: InteropClient) async throws {
        let message = "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"
        let error = try await expectStatus(.unknown, "UnaryCall with response_status code 2") {
            _ = try await client.unary(
                "UnaryCall", SimpleRequest(responseStatus: EchoStatus(code: 2, message: message)), as: SimpleResponse.self)
        }
        try expectStatus(error.status, .unknown, message: message, "UnaryCall")
    }

    /// The status_code_and_message procedure: code 2 and `message` echoed by a unary and a
    /// full-duplex call.
    private static func expectEchoedStatus(_ client: InteropClient, message: String) async throws {
        let echo = EchoStatus(code: 2, message: message)
        let unaryError = try await expectStatus(.unknown, "UnaryCall with response_status code 2") {
            _ = try await client.unary("UnaryCall", SimpleRequest(responseStatus: echo), as: SimpleResponse.self)
        }
        try expectStatus(unaryError.status, .unknown, message: message, "UnaryCall")

        let call = client.call("FullDuplexCall")
        try? await call.send(StreamingOutputCallRequest(responseStatus: echo))
        call.closeSend()
        let streamError = try await expectStatus(.unknown, "FullDuplexCall with response_status code 2") {
            while try await call.receive() != nil {}
        }
        try expectStatus(streamError.status, .unknown, message: message, "FullDuplexCall")
    }

    static func unimplementedMethod(_ client: InteropClient) async throws {
        try await expectStatus(.unimplemented, "TestService/UnimplementedCall") {
            _ = try await client.unary("UnimplementedCall", Empty(), as: Empty.self)
        }
    }

    static func unimplementedService(_ client: InteropClient) async throws {
        try await expectStatus(.unimplemented, "UnimplementedService/UnimplementedCall") {
            _ = try await client.unary(
                "UnimplementedCall", Empty(), as: Empty.self, service: "/grpc.testing.UnimplementedService/")
        }
    }
}
