import Foundation
import Testing
import Crypto
import Tenancy

@Suite struct TokenFileTests {
    static let acmeDigest = SHA256.hexDigest("acme-secret")
    static let globexDigest = SHA256.hexDigest("globex-secret")
    static let salt = TokenSalt(hex: String(repeating: "5a", count: 32))!
    static let acmeCode = salt.digest(of: "acme-secret")

    @Test func parsesSaltedEntries() throws {
        let file = try TokenFile.parse(
            yaml: """
                # comment
                salt: \(Self.salt.hex.uppercased())
                tokens:
                  - {tenant: acme, hmac_sha256: \(Self.acmeCode.uppercased()), admin: true}
                  - tenant: globex
                    sha256: \(Self.globexDigest)
                """)
        #expect(file.salt == Self.salt)
        #expect(file.tokens.map(\.digest) == [.hmacSHA256(Self.acmeCode), .sha256(Self.globexDigest)])
        #expect(file.tokens.map(\.line) == [4, 5])
        #expect(file.tokens.map(\.isLegacy) == [false, true])
        #expect(file.tokens[0].isAdmin)
    }

    @Test func theSaltedCodeIsTheStandardHMAC() {
        // Python: hmac.new(bytes.fromhex("00" * 32), b"acme-token", hashlib.sha256).hexdigest()
        #expect(
            TokenSalt(hex: String(repeating: "0", count: 64))!.digest(of: "acme-token")
                == "283153d9422ada7b8c6c1e707eeaa4392793ca76782f6c09f0c837232415d538")
    }

    @Test func legacyEntriesAreAcceptedWithOneWarningNamingTheirTenantsAndLines() throws {
        let file = try TokenFile.parse(
            yaml: """
                salt: \(Self.salt.hex)
                tokens:
                  - {tenant: acme, sha256: \(Self.acmeDigest)}
                  - {tenant: acme, hmac_sha256: \(Self.salt.digest(of: "other"))}
                  - {tenant: globex, sha256: \(Self.globexDigest)}
                """)
        #expect(file.tokens.count == 3)
        #expect(file.warnings.count == 1)
        let warning = try #require(file.warnings.first)
        #expect(warning.contains("2 tokens in the legacy unsalted sha256 form: tenant acme (line 3), tenant globex (line 5)"))
        #expect(warning.contains("intentctl token hash"))
        #expect(!warning.contains(Self.acmeDigest) && !warning.contains(Self.globexDigest), "no digest in a log")

        let many = try TokenFile.parse(
            yaml: "tokens:\n" + (0..<25).map { "  - {tenant: t\($0), sha256: \(SHA256.hexDigest("t\($0)"))}\n" }.joined())
        #expect(many.warnings.count == 1)
        #expect(many.warnings[0].contains("tenant t9 (line 11), and 15 more;"), "\(many.warnings)")
        #expect(!many.warnings[0].contains("tenant t10 "))

        let salted = try TokenFile.parse(yaml: "salt: \(Self.salt.hex)\ntokens:\n  - {tenant: acme, hmac_sha256: \(Self.acmeCode)}\n")
        #expect(salted.warnings.isEmpty)
    }

    @Test func parsesTokensAndCertificates() throws {
        let file = try TokenFile.parse(
            yaml: """
                # comment
                tokens:
                  - tenant: acme
                    sha256: \(Self.acmeDigest.uppercased())
                    admin: true
                    name: ci-bot
                  - tenant: globex
                    sha256: \(Self.globexDigest)
                client_certificates:
                  - subject: " CN=shop,O=Globex "
                    tenant: globex
                """)
        #expect(file.tokens.count == 2)
        #expect(file.tokens[0].tenant == TenantID("acme"))
        #expect(file.tokens[0].digest == .sha256(Self.acmeDigest), "digests are stored lower-case")
        #expect(file.tokens[0].isAdmin)
        #expect(file.tokens[0].name == "ci-bot")
        #expect(!file.tokens[1].isAdmin)
        #expect(file.clientCertificates.count == 1)
        #expect(file.clientCertificates[0].subject == "CN=shop,O=Globex")
        #expect(file.clientCertificates[0].tenant == TenantID("globex"))
        #expect(file.tenants == [TenantID("acme")!, TenantID("globex")!])
    }

    @Test(arguments: ["", "# nothing\n", "tokens:\n", "tokens: []\nclient_certificates: []\n"])
    func emptyFilesHaveNoCredentials(yaml: String) throws {
        let file = try TokenFile.parse(yaml: yaml)
        #expect(file.tokens.isEmpty)
        #expect(file.clientCertificates.isEmpty)
    }

    /// (yaml, expected line, text the error must contain)
    static let invalid: [(String, Int?, String)] = [
        ("tokens: [\n", nil, "not valid YAML"),
        ("- a\n- b\n", 1, "top level must be a mapping"),
        ("users: []\n", 1, "unknown key 'users'"),
        ("tokens: acme\n", 1, "tokens: expected a list"),
        ("tokens:\n  - acme\n", 2, "tokens[0]: expected a mapping"),
        ("tokens:\n  - tenant: Acme\n    sha256: \(acmeDigest)\n", 2, "tokens[0]: tenant: 'Acme' is not a valid tenant id"),
        ("tokens:\n  - tenant: ../etc\n    sha256: \(acmeDigest)\n", 2, "not a valid tenant id"),
        ("tokens:\n  - sha256: \(acmeDigest)\n", 2, "tokens[0]: missing key 'tenant'"),
        ("tokens:\n  - tenant: acme\n", 2, "tokens[0] (tenant acme): missing the token's digest: add hmac_sha256"),
        ("tokens:\n  - tenant: acme\n    sha256: abc\n", 3, "tokens[0]: sha256: expected 64 hex digits (got 3 characters"),
        ("tokens:\n  - tenant: acme\n    sha256: \(String(repeating: "g", count: 64))\n", 3, "not all hex"),
        ("tokens:\n  - tenant: acme\n    sha256: \(acmeDigest)\n    admin: maybe\n", 4, "tokens[0]: admin: expected true or false"),
        ("tokens:\n  - tenant: acme\n    sha256: \(acmeDigest)\n    role: x\n", 4, "tokens[0]: unknown key 'role'"),
        (
            "tokens:\n  - tenant: acme\n    sha256: \(acmeDigest)\n  - tenant: globex\n    sha256: \(acmeDigest.uppercased())\n",
            4, "tokens[1]: the same sha256 as tokens[0]"
        ),
        (
            "salt: \(salt.hex)\ntokens:\n  - {tenant: acme, hmac_sha256: \(acmeCode), sha256: \(acmeDigest)}\n", 3,
            "tokens[0] (tenant acme): both hmac_sha256 and sha256"
        ),
        ("salt: \(salt.hex)\ntokens:\n  - {tenant: acme, admin: true}\n", 3, "tokens[0] (tenant acme): missing the token's digest"),
        ("tokens:\n  - {tenant: acme, sha256: \(acmeDigest)}\n  - {tenant: acme, hmac_sha256: \(acmeCode)}\n", 3,
         "tokens[1] (tenant acme): hmac_sha256 needs the file's salt"),
        ("salt: abc\n", 1, "salt: expected 64 hex digits (32 random bytes"),
        ("salt: \(String(repeating: "x", count: 64))\n", 1, "not all hex"),
        ("salt: [1]\n", 1, "salt: expected a text value"),
        ("salt: \(salt.hex)\ntokens:\n  - {tenant: acme, hmac_sha256: abc}\n", 3, "tokens[0]: hmac_sha256: expected 64 hex digits"),
        (
            "salt: \(salt.hex)\ntokens:\n  - {tenant: acme, hmac_sha256: \(acmeCode)}\n  - {tenant: b, hmac_sha256: \(acmeCode.uppercased())}\n",
            4, "tokens[1]: the same hmac_sha256 as tokens[0]"
        ),
        ("client_certificates:\n  - tenant: acme\n", 2, "client_certificates[0]: missing key 'subject'"),
        ("client_certificates:\n  - subject: CN=a\n", 2, "client_certificates[0] (subject 'CN=a'): missing key 'tenant'"),
        ("client_certificates:\n  - subject: ''\n    tenant: acme\n", 2, "subject: must not be empty"),
        (
            "client_certificates:\n  - {subject: CN=a, tenant: acme}\n  - {subject: CN=a, tenant: globex}\n", 3,
            "client_certificates[1]: the same subject as client_certificates[0]"
        ),
    ]

    @Test(arguments: invalid)
    func invalidFilesNameTheEntry(yaml: String, line: Int?, text: String) {
        do {
            _ = try TokenFile.parse(yaml: yaml)
            Issue.record("parsed: \(yaml)")
        } catch {
            #expect(error.problem.contains(text), "\(error)")
            if let line { #expect(error.line == line, "\(error)") }
        }
    }

    @Test func aPastedTokenIsNeverEchoed() {
        let token = "sk_live_0123456789abcdefghijklmnopqrstuvwxyz"
        do {
            _ = try TokenFile.parse(yaml: "tokens:\n  - tenant: acme\n    sha256: \(token)\n")
            Issue.record("accepted a plaintext token")
        } catch {
            #expect(!error.description.contains(token))
            #expect(error.description.contains("sha256sum"))
        }
    }

    @Test func loadNamesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tokens.yaml").path
        try "tokens:\n  - tenant: acme\n    sha256: \(Self.acmeDigest)\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try TokenFile.load(path: path).tokens.map(\.tenant) == [TenantID("acme")!])

        try "tokens:\n  - tenant: acme\n    sha256: nope\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TokenFileError.self) { try TokenFile.load(path: path) }
        do {
            _ = try TokenFile.load(path: path)
        } catch {
            #expect(error.path == path)
            #expect(error.description.hasPrefix("\(path): line 3: tokens[0]: sha256:"))
        }
        do {
            _ = try TokenFile.load(path: path + ".missing")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.contains("cannot read the tokens file"))
        }
    }
}
