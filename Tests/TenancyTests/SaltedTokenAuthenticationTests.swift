import Foundation
import Crypto
import Testing
import Tenancy

/// Salted entries (`hmac_sha256` under the file's `salt`), alone and next to legacy ones.
@Suite struct SaltedTokenAuthenticationTests {
    static let salt = TokenSalt(hex: "8f14e45fceea167a5a36dedd4bea2543c9f2e0c0c0b7a3f2e1d4c5b6a7980123")!
    static let acme = TenantID("acme")!
    static let globex = TenantID("globex")!

    static let file = try! TokenFile.parse(
        yaml: """
            salt: \(salt.hex)
            tokens:
              - {tenant: acme, hmac_sha256: \(salt.digest(of: "acme-token")), admin: true}
              - {tenant: globex, hmac_sha256: \(salt.digest(of: "globex-token"))}
              - {tenant: globex, sha256: \(SHA256.hexDigest("legacy-token"))}
            """)

    let authenticator = Authenticator(mode: .tokens(file))

    @Test func saltedEntriesAuthenticate() {
        #expect(
            authenticator.authenticate(authorization: "Bearer acme-token", certificateSubject: nil)
                == .success(Principal(tenant: Self.acme, isAdmin: true, via: "token")))
        #expect(
            authenticator.authenticate(authorization: "Bearer globex-token", certificateSubject: nil)
                == .success(Principal(tenant: Self.globex, isAdmin: false, via: "token")))
    }

    @Test func legacyEntriesStillAuthenticateNextToSaltedOnes() {
        #expect(
            authenticator.authenticate(authorization: "Bearer legacy-token", certificateSubject: nil).map(\.tenant)
                == .success(Self.globex))
        #expect(
            authenticator.modeDescription == "tokens mode: 3 tokens (1 in the legacy sha256 form) and 0 client certificates for 2 tenants")
    }

    @Test(arguments: ["acme-token2", "acme-toke", "ACME-TOKEN", "globex-tokeN", "x", "legacy-token-"])
    func aWrongTokenFails(token: String) {
        #expect(authenticator.authenticate(authorization: "Bearer \(token)", certificateSubject: nil) == .failure(.unknownToken))
    }

    /// The stored value is the code, not the token, and not the token's plain SHA-256: sending
    /// either as a bearer token, or using a file with another salt, fails.
    @Test func theCodeDependsOnTheSalt() throws {
        let code = Self.salt.digest(of: "acme-token")
        #expect(authenticator.authenticate(authorization: "Bearer \(code)", certificateSubject: nil) == .failure(.unknownToken))
        let otherSalt = TokenSalt(hex: String(repeating: "11", count: 32))!
        #expect(otherSalt.digest(of: "acme-token") != code)
        let moved = try TokenFile.parse(
            yaml: "salt: \(otherSalt.hex)\ntokens:\n  - {tenant: acme, hmac_sha256: \(code)}\n")
        #expect(
            Authenticator(mode: .tokens(moved)).authenticate(authorization: "Bearer acme-token", certificateSubject: nil)
                == .failure(.unknownToken))
    }

    @Test func aFileWithManyEntriesFindsEachOne() throws {
        let yaml = "salt: \(Self.salt.hex)\ntokens:\n"
            + (0..<2_000).map { "  - {tenant: t\($0 % 50), hmac_sha256: \(Self.salt.digest(of: "token-\($0)"))}\n" }.joined()
        let many = Authenticator(mode: .tokens(try TokenFile.parse(yaml: yaml)))
        for index in stride(from: 0, to: 2_000, by: 97) {
            #expect(
                many.authenticate(authorization: "Bearer token-\(index)", certificateSubject: nil).map(\.tenant)
                    == .success(TenantID("t\(index % 50)")!))
        }
        #expect(many.authenticate(authorization: "Bearer token-2000", certificateSubject: nil) == .failure(.unknownToken))
    }
}
