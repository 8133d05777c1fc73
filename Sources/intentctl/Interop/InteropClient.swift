internal import GRPCTransport
internal import Messages
internal import RPC

/// The interop cases' view of a channel: typed grpc.testing calls with the per-call deadline
/// the reference clients use (30 s, so a hung server fails the case instead of the run).
struct InteropClient: Sendable {
    let channel: GRPCChannel

    static let testService = "/grpc.testing.TestService/"
    static let defaultTimeout = Duration.seconds(30)

    /// A unary TestService call; returns the decoded response and the raw response details.
    func unary<Response: ProtobufMessage>(
        _ method: String, _ request: some ProtobufMessage, as: Response.Type, metadata: Metadata = [:],
        compression: MessageEncoding = .identity, timeout: Duration = defaultTimeout, service: String = testService
    ) async throws -> (Response, UnaryResponse) {
        let reply = try await channel.unary(
            path: service + method, request: request.serializedBytes(), metadata: metadata, timeout: timeout,
            compression: compression)
        return (try Response(serializedBytes: reply.message), reply)
    }

    /// A streaming TestService call.
    func call(
        _ method: String, metadata: Metadata = [:], compression: MessageEncoding = .identity,
        timeout: Duration = defaultTimeout
    ) -> ClientCall {
        channel.makeCall(path: Self.testService + method, metadata: metadata, timeout: timeout, compression: compression)
    }
}

extension ClientCall {
    /// Sends a typed message.
    func send(_ message: some ProtobufMessage, compress: Bool = false) async throws {
        try await send(message.serializedBytes(), compress: compress)
    }

    /// The next response decoded as `Response`, or nil at the end (OK).
    func receive<Response: ProtobufMessage>(_: Response.Type) async throws -> (Response, wasCompressed: Bool)? {
        guard let message = try await receiveMessage() else { return nil }
        return (try Response(serializedBytes: message.bytes), message.wasCompressed)
    }
}

/// Interop payloads are zeros; a body matches when it has the size and only zeros.
func isZeros(_ payload: Payload?, count: Int) -> Bool {
    guard let payload else { return count == 0 }
    return payload.body.count == count && payload.body.allSatisfy { $0 == 0 }
}

/// A readable account of a payload's body for failure messages.
func describe(_ payload: Payload?) -> String {
    guard let payload else { return "no payload" }
    let nonZero = payload.body.contains { $0 != 0 }
    return "\(payload.body.count) bytes\(nonZero ? " (not all zero)" : "")"
}
