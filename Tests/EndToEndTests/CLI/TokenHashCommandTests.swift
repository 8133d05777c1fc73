import Foundation
import Posix
import Crypto
import Tenancy
import Testing

/// `intentctl token hash` as operators run it: the real binary, a real file, and the file then
/// loaded the way intentd loads it (permission checks included).
@Suite struct TokenHashCommandTests {
    typealias Run = ReplyIntentCLIServerTests.Run

    /// Runs `intentctl token hash <arguments>` with `stdin` to its end. Its output is a few lines,
    /// so reading stdout to its end before stderr cannot fill a pipe and block.
    static func intentctl(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = ReplyIntentCLIServerTests.buildDirectory.appendingPathComponent("intentctl")
        process.arguments = ["token", "hash"] + arguments
        let (input, output, error) = (Pipe(), Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data((stdin ?? "").utf8))
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "token-hash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The tenant `token` authenticates as with the file at `path`, loaded as intentd loads it.
    static func tenant(of token: String, in path: String) throws -> TenantID? {
        let authenticator = Authenticator(mode: .tokens(try TokenFile.load(path: path)))
        return try? authenticator.authenticate(authorization: "Bearer \(token)", certificateSubject: nil).get().tenant
    }

    @Test func generateCreatesAPrivateFileWhoseTokenAuthenticates() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/tokens.yaml"

        let run = try Self.intentctl(["--tokens-file", path, "--tenant", "acme", "--generate"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.lines.count == 1, "only the token on stdout")
        let token = try #require(run.lines.first)
        #expect(token.utf8.count == 43)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "base64url")
        #expect(run.stderr.contains("created \(path)"))
        #expect(FileStatus.of(path: path)?.permissions == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(token))

        let file = try TokenFile.load(path: path)
        #expect(file.warnings.isEmpty, "\(file.warnings)")
        #expect(file.salt != nil)
        #expect(try Self.tenant(of: token, in: path) == TenantID("acme"))
        #expect(try Self.tenant(of: token + "x", in: path) == nil)

        // A second token for another tenant, read from stdin, as an admin.
        let second = try Self.intentctl(["--tokens-file", path, "--tenant", "ops", "--admin", "--token-stdin"], stdin: "ops-secret-1\n")
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.isEmpty)
        let reloaded = try TokenFile.load(path: path)
        #expect(reloaded.salt == file.salt, "the salt is kept")
        #expect(reloaded.tokens.map(\.isAdmin) == [false, true])
        #expect(try Self.tenant(of: "ops-secret-1", in: path) == TenantID("ops"))
        #expect(try Self.tenant(of: token, in: path) == TenantID("acme"))
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix(text), "appended, nothing rewritten")
        #expect(FileStatus.of(path: path)?.permissions == 0o600)
    }

    @Test func anExistingFileKeepsItsCommentsAndLegacyEntriesAndBecomesPrivate() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/tokens.yaml"
        let original = """
            # Tokens for the shop (owned by ops).
            tokens:
              # legacy, to migrate
              - tenant: globex
                sha256: \(SHA256.hexDigest("globex-legacy"))
            client_certificates:
              - {subject: "CN=shop", tenant: globex}   # the shop's client

            """
        try original.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)

        let run = try Self.intentctl(["--tokens-file", path, "--tenant", "acme", "--token-stdin"], stdin: "acme-new-token")
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("added a salt to \(path): its sha256 entries stay valid"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let salt = try #require(try TokenFile.load(path: path).salt)
        let expected = """
            # Tokens for the shop (owned by ops).
            # HMAC-SHA256 key of the hmac_sha256 entries (`intentctl token hash`); keep it with them.
            salt: \(salt.hex)
            tokens:
              # legacy, to migrate
              - tenant: globex
                sha256: \(SHA256.hexDigest("globex-legacy"))
              - {tenant: acme, hmac_sha256: \(salt.digest(of: "acme-new-token"))}
            client_certificates:
              - {subject: "CN=shop", tenant: globex}   # the shop's client

            """
        #expect(text == expected)
        #expect(FileStatus.of(path: path)?.permissions == 0o600, "rewritten private")
        #expect(try Self.tenant(of: "acme-new-token", in: path) == TenantID("acme"))
        #expect(try Self.tenant(of: "globex-legacy", in: path) == TenantID("globex"), "legacy entries stay valid")
        #expect(try TokenFile.load(path: path).warnings.count == 1, "the legacy entry is still warned about")

        // Re-hashing the legacy token points at the entry to delete.
        let migrate = try Self.intentctl(["--tokens-file", path, "--tenant", "globex", "--token-stdin"], stdin: "globex-legacy\n")
        #expect(migrate.status == 0, "stderr: \(migrate.stderr)")
        #expect(migrate.stderr.contains("tokens[0] (tenant globex, line 6) holds the same token in the legacy sha256 form"))
    }

    @Test func withoutAFileTheEntryLineIsPrinted() throws {
        let salt = TokenSalt(hex: String(repeating: "ab", count: 32))!
        let run = try Self.intentctl(["--salt", salt.hex, "--tenant", "acme", "--token-stdin"], stdin: "tok-1\n")
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == "  - {tenant: acme, hmac_sha256: \(salt.digest(of: "tok-1"))}\n")

        let generated = try Self.intentctl(["--salt", salt.hex, "--tenant", "acme", "--admin", "--generate"])
        #expect(generated.status == 0, "stderr: \(generated.stderr)")
        #expect(generated.lines.count == 2)
        let token = try #require(generated.lines.first)
        #expect(generated.lines.last == "  - {tenant: acme, hmac_sha256: \(salt.digest(of: token)), admin: true}")
    }

    @Test(arguments: [
        (["--tenant", "acme", "--generate"], "--salt HEX"),
        (["--tenant", "acme", "--salt", "abc", "--generate"], "--salt: expected 64 hex digits"),
        (["--tokens-file", "x", "--tenant", "acme"], "give one of --token-stdin"),
        (["--tokens-file", "x", "--tenant", "acme", "--generate", "--token-stdin"], "give one of --token-stdin"),
        (["--tokens-file", "x", "--tenant", "acme", "--generate", "--salt", String(repeating: "0", count: 64)], "--salt goes without --tokens-file"),
        (["--tokens-file", "x", "--tenant", "Acme", "--generate"], "--tenant 'Acme'"),
    ] as [([String], String)])
    func usageErrorsSayWhatToGive(arguments: [String], text: String) throws {
        let run = try Self.intentctl(arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains(text), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "x"))
    }

    @Test(arguments: ["", "\n", "two words\n", "tab\there", "one\ntwo\n", "caf\u{e9}"])
    func aTokenThatCannotBeSentIsRefusedWithoutEchoingIt(stdin: String) throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/tokens.yaml"
        let run = try Self.intentctl(["--tokens-file", path, "--tenant", "acme", "--token-stdin"], stdin: stdin)
        #expect(run.status == 1)
        #expect(run.stderr.contains("token"), "\(run.stderr)")
        for word in ["words", "here", "two", "caf"] where stdin.contains(word) { #expect(!run.stderr.contains(word)) }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing written")
    }

    @Test func aBrokenFileIsLeftAlone() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/tokens.yaml"
        try "tokens:\n  - {tenant: Acme}\n".write(toFile: path, atomically: false, encoding: .utf8)
        let run = try Self.intentctl(["--tokens-file", path, "--tenant", "acme", "--generate"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty, "no token for a failed edit")
        #expect(run.stderr.hasPrefix("intentctl: \(path): line 2: tokens[0]: tenant: 'Acme' is not a valid tenant id"), "\(run.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "tokens:\n  - {tenant: Acme}\n")
    }

    @Test func aSymlinkStaysASymlinkAndRootKeepsTheOwner() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/real.yaml"
        let link = directory + "/tokens.yaml"
        try "tokens:\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let isRoot = System.effectiveUserID == 0
        if isRoot { try FileManager.default.setAttributes([.ownerAccountID: 4242, .groupOwnerAccountID: 4343], ofItemAtPath: target) }

        let run = try Self.intentctl(["--tokens-file", link, "--tenant", "acme", "--generate"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("hmac_sha256"))
        if isRoot {
            let status = try #require(FileStatus.of(path: target))
            #expect(status.ownerID == 4242 && status.groupID == 4343, "the server's user still owns its file")
        }
    }
}
