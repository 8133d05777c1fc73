internal import RPC

extension ServiceCore {
    /// `StreamConversations`: authenticate once, then answer the client's items in order, until
    /// the client is done (or cancels) or the server shuts down (UNAVAILABLE).
    func streamConversations(_ call: StreamingCall) async throws -> Metadata {
        let principal = try principal(call.info)
        guard !streams.isShutDown else { throw RPCError(.unavailable, ConversationStreams.shutdownMessage) }
        let core = self
        let shutDown = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await core.streams.waitForShutdown() }
            group.addTask {
                var stream = ConversationStream(
                    core: core, principal: principal, writer: call.responses, connectionID: call.info.connectionID)
                try await stream.run(call.requests)
                return false
            }
            // The first to finish decides: the conversation ended (or failed), or shutdown began.
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        if shutDown { throw RPCError(.unavailable, ConversationStreams.shutdownMessage) }
        return [:]
    }
}
