/// The standard gRPC interop client cases, raw values spelled as in grpc's
/// `doc/interop-test-descriptions.md`, in the order `--test_case=all` runs them.
enum InteropTestCase: String, CaseIterable, Sendable {
    case emptyUnary = "empty_unary"
    case largeUnary = "large_unary"
    case clientCompressedUnary = "client_compressed_unary"
    case serverCompressedUnary = "server_compressed_unary"
    case clientStreaming = "client_streaming"
    case clientCompressedStreaming = "client_compressed_streaming"
    case serverStreaming = "server_streaming"
    case serverCompressedStreaming = "server_compressed_streaming"
    case pingPong = "ping_pong"
    case emptyStream = "empty_stream"
    case customMetadata = "custom_metadata"
    case statusCodeAndMessage = "status_code_and_message"
    case specialStatusMessage = "special_status_message"
    case unimplementedMethod = "unimplemented_method"
    case unimplementedService = "unimplemented_service"
    case cancelAfterBegin = "cancel_after_begin"
    case cancelAfterFirstResponse = "cancel_after_first_response"
    case timeoutOnSleepingServer = "timeout_on_sleeping_server"
    case veryLargeRequest = "very_large_request"

    /// Runs the case; throws ``InteropFailure`` (or any error) when an assertion fails.
    func run(with client: InteropClient) async throws {
        switch self {
        case .emptyUnary: try await UnaryCases.emptyUnary(client)
        case .largeUnary: try await UnaryCases.largeUnary(client)
        case .clientCompressedUnary: try await CompressionCases.clientCompressedUnary(client)
        case .serverCompressedUnary: try await CompressionCases.serverCompressedUnary(client)
        case .clientStreaming: try await StreamingCases.clientStreaming(client)
        case .clientCompressedStreaming: try await CompressionCases.clientCompressedStreaming(client)
        case .serverStreaming: try await StreamingCases.serverStreaming(client)
        case .serverCompressedStreaming: try await CompressionCases.serverCompressedStreaming(client)
        case .pingPong: try await StreamingCases.pingPong(client)
        case .emptyStream: try await StreamingCases.emptyStream(client)
        case .customMetadata: try await StatusCases.customMetadata(client)
        case .statusCodeAndMessage: try await StatusCases.statusCodeAndMessage(client)
        case .specialStatusMessage: try await StatusCases.specialStatusMessage(client)
        case .unimplementedMethod: try await StatusCases.unimplementedMethod(client)
        case .unimplementedService: try await StatusCases.unimplementedService(client)
        case .cancelAfterBegin: try await CancellationCases.cancelAfterBegin(client)
        case .cancelAfterFirstResponse: try await CancellationCases.cancelAfterFirstResponse(client)
        case .timeoutOnSleepingServer: try await CancellationCases.timeoutOnSleepingServer(client)
        case .veryLargeRequest: try await UnaryCases.veryLargeRequest(client)
        }
    }
}
