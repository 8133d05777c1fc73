import Foundation
import GRPCTransport
import Logging
import Messages
import Posix
import RPC
import ReplyIntentServer
import TLS
import Testing

/// The tokens file is hot-reloaded: a token added to it works without a restart (SIGHUP's
/// `reload()`, and the periodic check on its own), a removed one stops working, and a broken
/// file keeps the tokens that were in force. Our client, over a real socket.
@Suite struct TokensReloadTests {
    static func tokensYAML(_ tokens: [String]) -> String {
        "tokens:\n" + tokens.map { "  - {tenant: acme, sha256: \(SHA256.hexDigest($0))}\n" }.joined()
    }

    /// Replaces the tokens file the way operators are told to: write elsewhere, then rename.
    static func writeTokens(_ text: String, to path: String) throws {
        try text.write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
        try FileSystem.rename(path + ".tmp", over: path)
    }

    /// The status code of one ClassifyIntent call with `token`.
    static func classify(_ channel: GRPCChannel, token: String) async -> Status.Code {
        let request = ClassifyIntentRequest(message: BuyerMessage(text: "where is my order?"))
        do {
            _ = try await channel.unary(
                path: "/replyintent.v1.ReplyIntent/ClassifyIntent", request: request.serializedBytes(),
                metadata: ["authorization": "Bearer \(token)"], timeout: .seconds(30))
            return .ok
        } catch let error as RPCError {
            return error.status.code
        } catch {
            return .unknown
        }
    }

    @Test func addedTokensWorkRemovedOnesStopAndABrokenFileChangesNothing() async throws {
        let root = NSTemporaryDirectory() + "replyintent-tokens-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tokensPath = root + "/tokens.yaml"
        try Self.writeTokens(Self.tokensYAML(["first-token"]), to: tokensPath)

        var settings = ServerSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.threads = 1
        settings.defaultModelPath = ReloadModelFiles.sharedModelPath
        settings.templatesDirectory = ReloadModelFiles.templatesDirectory
        settings.tenantsDirectory = root + "/tenants"
        settings.tokensFile = tokensPath
        let application = try ReplyIntentApplication(settings: settings, logger: Logger(label: "tokens-test"))
        defer { application.shutdown() }
        let channel = try GRPCChannel(
            configuration: ChannelConfiguration(host: "127.0.0.1", port: try #require(application.plaintextPort)))
        defer { channel.close() }

        #expect(await Self.classify(channel, token: "first-token") == .ok)
        #expect(await Self.classify(channel, token: "second-token") == .unauthenticated)

        // SIGHUP's path: reload() at once.
        try Self.writeTokens(Self.tokensYAML(["first-token", "second-token"]), to: tokensPath)
        #expect(application.reload().contains { $0.hasPrefix("tokens: reloaded") })
        #expect(await Self.classify(channel, token: "second-token") == .ok)

        // A broken file keeps the tokens in force.
        try Self.writeTokens("tokens:\n  - {tenant: acme, sha256: not-a-digest}\n", to: tokensPath)
        #expect(application.reload().contains { $0.hasPrefix("tokens: kept the previous tokens") })
        #expect(await Self.classify(channel, token: "second-token") == .ok)

        // The periodic check alone (no reload call) picks up the removal of the first token.
        try Self.writeTokens(Self.tokensYAML(["second-token"]), to: tokensPath)
        let deadline = ContinuousClock.now + .seconds(30)
        var status = Status.Code.ok
        while ContinuousClock.now < deadline {
            status = await Self.classify(channel, token: "first-token")
            if status != .ok { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(status == .unauthenticated)
        #expect(await Self.classify(channel, token: "second-token") == .ok)
    }
}
