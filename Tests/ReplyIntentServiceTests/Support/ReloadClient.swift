import Foundation
import GRPCTransport
import Messages
import RPC

/// Our gRPC client (one ``GRPCChannel``: one HTTP/2 connection) speaking the ReplyIntent API to
/// a server in single-tenant mode (no credentials needed; the caller is admin).
struct ReloadClient: Sendable {
    static let classifyPath = "/replyintent.v1.ReplyIntent/ClassifyIntent"
    static let listModelsPath = "/replyintent.v1.ReplyIntentAdmin/ListModels"
    static let reloadModelsPath = "/replyintent.v1.ReplyIntentAdmin/ReloadModels"

    let channel: GRPCChannel

    init(port: Int) throws {
        channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: port))
    }

    /// The model that answered (tenant, name, version). Throws `RPCError` when the call fails.
    func classify(_ text: String, id: String = "m") async throws -> ModelRef {
        let request = ClassifyIntentRequest(message: BuyerMessage(messageID: id, conversationID: "c", text: text))
        let reply = try await channel.unary(
            path: Self.classifyPath, request: request.serializedBytes(), timeout: .seconds(30))
        let response = try ClassifyIntentResponse(serializedBytes: reply.message)
        guard let model = response.classification?.model else {
            throw RPCError(.internal, "test: ClassifyIntent answered without classification.model")
        }
        return model
    }

    func listModels() async throws -> [ModelInfo] {
        let reply = try await channel.unary(
            path: Self.listModelsPath, request: ListModelsRequest().serializedBytes(), timeout: .seconds(30))
        return try ListModelsResponse(serializedBytes: reply.message).models
    }

    /// ReloadModels: the server rescans now; returns its change lines.
    func reloadModels() async throws -> [String] {
        let reply = try await channel.unary(
            path: Self.reloadModelsPath, request: ReloadModelsRequest().serializedBytes(), timeout: .seconds(60))
        return try ReloadModelsResponse(serializedBytes: reply.message).changes
    }

    /// ListModels' entry for `tenant`/`name` (nil when the cache has no such file).
    func model(tenant: String, name: String = "default") async throws -> ModelInfo? {
        try await listModels().first { $0.tenant == tenant && $0.name == name }
    }

    func close() { channel.close() }
}

/// Runs blocking work (file writes, `application.reload()`, which loads models) on a thread of
/// its own, so the cooperative pool (2 threads here) stays free for the client tasks.
func reloadOffThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// Monotonic nanoseconds (the timeline's clock).
func reloadNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Wall-clock milliseconds as the API carries them (ListModels' `*_unix_ms`).
func reloadWallMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

/// Sleeps without blocking a pool thread.
func reloadPause(milliseconds: Int) async {
    try? await Task.sleep(for: .milliseconds(milliseconds))
}
