import Crypto
import Testing
import Tenancy

/// `intentctl token hash`'s edits: the new entry lands in the tokens list, a missing salt is
/// added, and every other line (comments included) stays as it was.
@Suite struct TokenFileEditorTests {
    static let acme = TenantID("acme")!
    static let salt = TokenSalt(hex: String(repeating: "3c", count: 32))!
    static let freshSalt = TokenSalt(hex: String(repeating: "d7", count: 32))!

    static func add(_ token: String, to text: String, tenant: TenantID = acme, admin: Bool = false) throws -> TokenFileEditor.Edit {
        try TokenFileEditor.adding(tenant: tenant, token: token, isAdmin: admin, to: text) { freshSalt }
    }

    /// Whether `token` authenticates against `text` as `tenant`.
    static func authenticates(_ token: String, in text: String, as tenant: TenantID = acme) throws -> Bool {
        let authenticator = Authenticator(mode: .tokens(try TokenFile.parse(yaml: text)))
        return authenticator.authenticate(authorization: "Bearer \(token)", certificateSubject: nil).map(\.tenant) == .success(tenant)
    }

    @Test func aNewFileHoldsTheSaltAndTheEntry() throws {
        let edit = try TokenFileEditor.newFile(salt: Self.salt, tenant: Self.acme, token: "s3cret", isAdmin: true)
        #expect(edit.file.salt == Self.salt)
        #expect(edit.file.tokens.map(\.digest) == [.hmacSHA256(Self.salt.digest(of: "s3cret"))])
        #expect(edit.file.tokens.first?.isAdmin == true)
        #expect(edit.text.split(separator: "\n")[edit.entryLine - 1].hasPrefix("  - {tenant: acme, hmac_sha256: "))
        #expect(!edit.text.contains("s3cret"))
        #expect(try Self.authenticates("s3cret", in: edit.text))
    }

    @Test func anEntryIsAppendedToTheListAndCommentsStay() throws {
        let text = """
            # Production tokens. Ask ops before changing.
            salt: \(Self.salt.hex)   # do not rotate alone
            tokens:
              # the shop backend
              - tenant: acme
                hmac_sha256: \(Self.salt.digest(of: "first"))
                name: backend   # label
            # certificates below
            client_certificates:
              - {subject: "CN=shop", tenant: acme}

            """
        let edit = try Self.add("second", to: text, admin: true)
        let lines = edit.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var expected = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expected.insert("  - {tenant: acme, hmac_sha256: \(Self.salt.digest(of: "second")), admin: true}", at: 7)
        #expect(lines == expected)
        #expect(edit.entryLine == 8)
        #expect(!edit.addedSalt)
        #expect(try Self.authenticates("first", in: edit.text))
        #expect(try Self.authenticates("second", in: edit.text))
        #expect(edit.file.clientCertificates.count == 1)
    }

    @Test func aLegacyFileGetsASaltAndItsSha256EntriesStayValid() throws {
        let text = """
            # legacy file
            tokens:
            - tenant: globex
              sha256: \(SHA256.hexDigest("old-token"))
            """
        let edit = try Self.add("new-token", to: text)
        #expect(edit.addedSalt)
        #expect(edit.file.salt == Self.freshSalt)
        #expect(edit.text.hasPrefix("# legacy file\n# HMAC-SHA256 key"))
        #expect(edit.text.contains("\nsalt: \(Self.freshSalt.hex)\ntokens:\n- tenant: globex\n"))
        #expect(edit.text.hasSuffix("\n- {tenant: acme, hmac_sha256: \(Self.freshSalt.digest(of: "new-token"))}\n"), "the list's own indentation")
        #expect(try Self.authenticates("old-token", in: edit.text, as: TenantID("globex")!))
        #expect(try Self.authenticates("new-token", in: edit.text))
    }

    @Test(arguments: [
        ("", 0), ("# only a comment\n", 1), ("tokens:\n", 0), ("tokens: []\n", 0), ("tokens: []  # none yet\n", 0), ("tokens: ~\n", 0),
        ("client_certificates:\n  - {subject: CN=a, tenant: acme}\n", 0), ("tokens:\nclient_certificates: []\n", 0),
        ("---\ntokens:\n", 1),
    ] as [(String, Int)])
    func emptyOrMissingListsGetTheEntry(text: String, commentLines: Int) throws {
        let edit = try Self.add("tok", to: text)
        #expect(edit.file.tokens.map(\.digest) == [.hmacSHA256(Self.freshSalt.digest(of: "tok"))])
        #expect(try Self.authenticates("tok", in: edit.text))
        #expect(edit.text.hasSuffix("\n"))
        if text.contains("# none yet") { #expect(edit.text.contains("tokens:  # none yet\n")) }
        if commentLines > 0 { #expect(edit.text.split(separator: "\n").prefix(commentLines) == text.split(separator: "\n").prefix(commentLines)) }
    }

    @Test func aTokenAlreadyInTheFileIsRefused() throws {
        let text = "salt: \(Self.salt.hex)\ntokens:\n  - {tenant: acme, hmac_sha256: \(Self.salt.digest(of: "dup"))}\n"
        #expect { try Self.add("dup", to: text) } throws: { "\($0)".contains("this token is in the file already: tokens[0]") }
    }

    @Test func theSameTokenInLegacyFormIsPointedOut() throws {
        let text = "tokens:\n  - {tenant: acme, sha256: \(SHA256.hexDigest("migrating"))}\n"
        let edit = try Self.add("migrating", to: text)
        #expect(edit.notes == ["tokens[0] (tenant acme, line 2) holds the same token in the legacy sha256 form: delete that entry"])
    }

    @Test func anInlineListIsLeftToAPersonWithTheLinesToAdd() throws {
        let text = "tokens: [{tenant: acme, sha256: \(SHA256.hexDigest("x"))}]\n"
        do {
            _ = try Self.add("y", to: text)
            Issue.record("edited an inline list")
        } catch {
            let message = "\(error)"
            #expect(message.contains("cannot add the entry automatically"))
            #expect(message.contains("salt: \(Self.freshSalt.hex)"))
            #expect(message.contains("- {tenant: acme, hmac_sha256: \(Self.freshSalt.digest(of: "y"))}"))
        }
    }

    @Test func anInvalidFileIsNotEdited() {
        #expect(throws: TokenFileError.self) { try Self.add("y", to: "tokens:\n  - {tenant: Acme, sha256: abc}\n") }
    }

    @Test func theTenantNullIsQuoted() throws {
        let edit = try Self.add("tok", to: "", tenant: TenantID("null")!)
        #expect(edit.text.contains("{tenant: \"null\", hmac_sha256:"))
        #expect(try Self.authenticates("tok", in: edit.text, as: TenantID("null")!))
    }
}
