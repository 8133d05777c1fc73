import Foundation
import GRPCTransport
import Messages
import RPC
import ReplyIntentServer
import Testing

/// SIGHUP (`ReplyIntentApplication.reload()`) and the ReloadModels RPC run the one reload
/// procedure: a tenant's policy and model change arrive in one answer, and calls see them together.
@Suite struct ApplicationReloadTriggersTests {
    static let suggestPath = "/replyintent.v1.ReplyIntent/SuggestReply"

    /// The model version of one SuggestReply call (tenant "default"), and whether its policy was suggest_only.
    static func suggest(_ client: ReloadClient) async throws -> (version: String, suggestOnly: Bool) {
        let request = SuggestReplyRequest(
            message: BuyerMessage(messageID: "m", conversationID: "c", text: "where is my order 12345?"))
        let reply = try await client.channel.unary(path: suggestPath, request: request.serializedBytes(), timeout: .seconds(30))
        let response = try SuggestReplyResponse(serializedBytes: reply.message)
        return (
            response.classification?.model?.version ?? "",
            response.decisionReasons.contains { $0.hasPrefix("mode suggest_only") }
        )
    }

    @Test(.timeLimit(.minutes(2)))
    func sighupAndTheRPCReportTenantFilesAndModelsInOneList() async throws {
        let files = try ReloadModelFiles.get()
        let deployment = try ReloadDeployment(files: files, initialTenantModel: files.valid[0].bytes)
        defer { deployment.close() }
        let client = try ReloadClient(port: deployment.port)
        defer { client.close() }
        let policy = deployment.root + "/tenants/default/policy.yaml"
        #expect(try await Self.suggest(client).version == files.valid[0].version)

        // SIGHUP: policy and model in one reload (inotify may run the procedure first: either
        // way the outcome lines are logged once).
        try "mode: auto\n".write(toFile: policy, atomically: true, encoding: .utf8)
        try deployment.install(files.valid[1].bytes)
        let lines = try await reloadOffThread { deployment.application.reload() }
        let logged = deployment.log.all
        #expect(
            (lines + logged).contains { $0.contains("loaded tenant default configuration: policy.yaml, 0 template files") },
            "\(lines)")
        #expect(logged.filter { $0.contains("loaded tenant default configuration") }.count == 1)
        let first = try await Self.suggest(client)
        #expect(first.version == files.valid[1].version && !first.suggestOnly)

        // The RPC: the same procedure.
        try "mode: suggest_only\n".write(toFile: policy, atomically: true, encoding: .utf8)
        try deployment.install(files.valid[2].bytes)
        let reported = try await client.reloadModels()
        let second = try await Self.suggest(client)
        #expect(second.version == files.valid[2].version, "\(reported)")
        #expect(second.suggestOnly, "the policy came with the model")
    }
}
