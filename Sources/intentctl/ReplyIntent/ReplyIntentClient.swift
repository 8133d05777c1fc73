internal import GRPCTransport
internal import Messages
internal import RPC

/// Typed calls of `replyintent.v1.ReplyIntent` and `ReplyIntentAdmin` over a channel, each with
/// the caller's credentials and deadline.
struct ReplyIntentClient: Sendable {
    static let service = "/replyintent.v1.ReplyIntent/"
    static let adminService = "/replyintent.v1.ReplyIntentAdmin/"

    let channel: GRPCChannel
    /// Sent with every call (`authorization`).
    let metadata: Metadata
    /// Per unary call; streams get ``streamTimeout``.
    let timeout: Duration?
    let streamTimeout: Duration?

    func classify(_ request: ClassifyIntentRequest) async throws -> ClassifyIntentResponse {
        try await unary(Self.service + "ClassifyIntent", request, as: ClassifyIntentResponse.self)
    }

    func suggest(_ request: SuggestReplyRequest) async throws -> SuggestReplyResponse {
        try await unary(Self.service + "SuggestReply", request, as: SuggestReplyResponse.self)
    }

    func listModels(_ request: ListModelsRequest) async throws -> ListModelsResponse {
        try await unary(Self.adminService + "ListModels", request, as: ListModelsResponse.self)
    }

    func reloadModels() async throws -> ReloadModelsResponse {
        try await unary(Self.adminService + "ReloadModels", ReloadModelsRequest(), as: ReloadModelsResponse.self)
    }

    /// A `StreamConversations` call: send ``StreamConversationsRequest``s, read responses.
    func streamConversations() -> ConversationCall {
        ConversationCall(call: channel.makeCall(path: Self.service + "StreamConversations", metadata: metadata, timeout: streamTimeout))
    }

    private func unary<Response: ProtobufMessage>(
        _ path: String, _ request: some ProtobufMessage, as: Response.Type
    ) async throws -> Response {
        let reply = try await channel.unary(path: path, request: request.serializedBytes(), metadata: metadata, timeout: timeout)
        return try Self.decode(Response.self, reply.message)
    }

    /// An answer the CLI cannot read fails like a call would: INTERNAL, saying what was wrong.
    static func decode<Response: ProtobufMessage>(_: Response.Type, _ bytes: [UInt8]) throws(RPCError) -> Response {
        do {
            return try Response(serializedBytes: bytes)
        } catch {
            throw RPCError(.internal, "the server's answer could not be read: \(error)")
        }
    }
}

/// A typed `StreamConversations` call.
struct ConversationCall: Sendable {
    let call: ClientCall

    func send(_ request: StreamConversationsRequest) async throws { try await call.send(request.serializedBytes()) }
    func closeSend() { call.closeSend() }
    func cancel() { call.cancel() }

    /// The next response; nil once the server ended the call with OK; throws ``RPCError`` otherwise.
    func receive() async throws -> StreamConversationsResponse? {
        guard let bytes = try await call.receive() else { return nil }
        return try ReplyIntentClient.decode(StreamConversationsResponse.self, bytes)
    }
}
