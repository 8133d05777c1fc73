import Foundation
import GRPCTransport
import Logging
import Messages
import Posix
import RPC
import ReplyIntentServer
import Crypto
import Tenancy
import Testing

/// The tokens file is hot-reloaded: a token added to it works without a restart (SIGHUP's
/// `reload()`, and the periodic check on its own), a removed one stops working, and a broken
/// file, or one that others can write, keeps the tokens that were in force. Our client, over a
/// real socket.
@Suite struct TokensReloadTests {
    static let salt = TokenSalt(hex: "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0")!

    /// Salted entries for `tokens`.
    static func tokensYAML(_ tokens: [String]) -> String {
        "salt: \(salt.hex)\ntokens:\n" + tokens.map { "  - {tenant: acme, hmac_sha256: \(salt.digest(of: $0))}\n" }.joined()
    }

    /// Replaces the tokens file the way operators are told to: write elsewhere (mode 600), then rename.
    static func writeTokens(_ text: String, to path: String, mode: Int = 0o600) throws {
        try text.write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path + ".tmp")
        try FileSystem.rename(path + ".tmp", over: path)
    }

    static func settings(root: String, tokensPath: String) -> ServerSettings {
        var settings = ServerSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.threads = 1
        settings.defaultModelPath = ReloadModelFiles.sharedModelPath
        settings.templatesDirectory = ReloadModelFiles.templatesDirectory
        settings.tenantsDirectory = root + "/tenants"
        settings.tokensFile = tokensPath
        return settings
    }

    static func makeRoot() throws -> String {
        let root = NSTemporaryDirectory() + "replyintent-tokens-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
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
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tokensPath = root + "/tokens.yaml"
        try Self.writeTokens(Self.tokensYAML(["first-token"]), to: tokensPath)

        let log = ReloadLog()
        let application = try ReplyIntentApplication(settings: Self.settings(root: root, tokensPath: tokensPath), logger: log.logger)
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

        // A valid file that others can write is refused, and logged with the fix.
        try Self.writeTokens(Self.tokensYAML(["second-token", "planted-token"]), to: tokensPath, mode: 0o666)
        let refused = application.reload().first { $0.hasPrefix("tokens: kept the previous tokens") }
        #expect(refused?.contains("refused: group or others can write the tokens file (mode 0666)") == true, "\(refused ?? "nothing")")
        #expect(refused?.hasSuffix("chmod 600 \(tokensPath)") == true)
        #expect(await Self.classify(channel, token: "planted-token") == .unauthenticated)
        #expect(await Self.classify(channel, token: "second-token") == .ok)

        // Fixing the mode is enough: the same content is loaded, with a warning while others can read it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tokensPath)
        #expect(application.reload().contains { $0.hasPrefix("tokens: reloaded") })
        #expect(await Self.classify(channel, token: "planted-token") == .ok)
        #expect(log.all.contains { $0.hasPrefix("warning tokens: \(tokensPath): group or others can read the tokens file (mode 0644)") })

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

    @Test func aTokensFileOthersCanWriteStopsTheStart() throws {
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tokensPath = root + "/tokens.yaml"
        try Self.writeTokens(Self.tokensYAML(["first-token"]), to: tokensPath, mode: 0o620)
        do {
            let application = try ReplyIntentApplication(
                settings: Self.settings(root: root, tokensPath: tokensPath), logger: Logger(label: "tokens-test"))
            application.shutdown()
            Issue.record("started with a group-writable tokens file")
        } catch {
            #expect("\(error)".hasPrefix("\(tokensPath): refused: group or others can write the tokens file (mode 0620)"))
            #expect("\(error)".hasSuffix("chmod 600 \(tokensPath)"))
        }
    }

    @Test func legacyEntriesAreLoggedAtStartWithTheirTenants() throws {
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tokensPath = root + "/tokens.yaml"
        try Self.writeTokens(
            Self.tokensYAML(["first-token"]) + "  - {tenant: globex, sha256: \(SHA256.hexDigest("old-token"))}\n", to: tokensPath)
        let log = ReloadLog()
        let application = try ReplyIntentApplication(settings: Self.settings(root: root, tokensPath: tokensPath), logger: log.logger)
        defer { application.shutdown() }
        let warnings = log.all.filter { $0.hasPrefix("warning tokens: ") }
        #expect(warnings.count == 1, "\(log.tail())")
        #expect(warnings.first?.contains("1 token in the legacy unsalted sha256 form: tenant globex (line 4)") == true)
        #expect(warnings.first?.contains("intentctl token hash --tokens-file \(tokensPath)") == true)
    }
}
