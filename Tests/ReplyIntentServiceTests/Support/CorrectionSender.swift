import GRPCTransport
import Messages
import RPC
import Synchronization

/// Sends agent corrections on one StreamConversations call of our client and records which
/// ones the server acknowledged (CorrectionRecorded), as a durability test needs.
struct CorrectionSender: Sendable {
    static let path = "/replyintent.v1.ReplyIntent/StreamConversations"

    /// Message ids the server acknowledged, from every sender sharing it.
    final class Acknowledged: Sendable {
        private let ids = Mutex<Set<String>>([])
        private let errors = Mutex<[String]>([])

        func record(_ id: String) { ids.withLock { _ = $0.insert(id) } }
        func recordError(_ text: String) { errors.withLock { $0.append(text) } }
        var all: Set<String> { ids.withLock { $0 } }
        var count: Int { ids.withLock { $0.count } }
        var itemErrors: [String] { errors.withLock { $0 } }
    }

    let channel: GRPCChannel
    let acknowledged: Acknowledged

    /// Sends corrections `"\(prefix)-0"` … `"\(prefix)-\(count - 1)"` while reading the answers.
    /// Returns normally when every answer came, throws when the call failed (the server died).
    func send(prefix: String, count: Int) async throws {
        let call = channel.makeCall(path: Self.path)
        let acknowledged = acknowledged
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<count {
                    let correction = AgentCorrection(
                        messageID: "\(prefix)-\(index)", conversationID: "conv-\(prefix)", intent: "refund_request",
                        agentID: "agent-\(prefix)")
                    try await call.send(StreamConversationsRequest(kind: .correction(correction)).serializedBytes())
                }
                call.closeSend()
            }
            group.addTask {
                while let bytes = try await call.receive() {
                    switch try StreamConversationsResponse(serializedBytes: bytes).kind {
                    case .correctionRecorded(let recorded): acknowledged.record(recorded.messageID)
                    case .error(let error): acknowledged.recordError("\(error.messageID): \(error.code) \(error.message)")
                    default: acknowledged.recordError("unexpected answer")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
