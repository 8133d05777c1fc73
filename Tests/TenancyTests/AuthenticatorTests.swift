import Foundation
import Testing
import Crypto
import Tenancy

@Suite struct AuthenticatorTests {
    static let file = try! TokenFile.parse(
        yaml: """
            tokens:
              - {tenant: acme, sha256: \(SHA256.hexDigest("acme-token")), admin: true}
              - {tenant: globex, sha256: \(SHA256.hexDigest("globex-token"))}
            client_certificates:
              - {subject: "CN=shop,O=Globex", tenant: globex}
              - {subject: "CN=ops,O=Acme", tenant: acme, admin: true}
            """)
    static let acme = TenantID("acme")!
    static let globex = TenantID("globex")!

    let authenticator = Authenticator(mode: .tokens(file))

    @Test func singleTenantModeAdmitsEveryCallerAsDefaultAdmin() {
        let single = Authenticator(mode: .singleTenant)
        #expect(single.isSingleTenant)
        #expect(single.modeDescription.hasPrefix("single-tenant mode"))
        let expected = Principal(tenant: .singleTenant, isAdmin: true, via: "single-tenant")
        for (authorization, subject) in [(nil, nil), ("Bearer whatever", nil), ("garbage", "CN=x") as (String?, String?)] {
            #expect(single.authenticate(authorization: authorization, certificateSubject: subject) == .success(expected))
        }
    }

    @Test func tokensModeDescribesItself() {
        #expect(!authenticator.isSingleTenant)
        #expect(
            authenticator.modeDescription
                == "tokens mode: 2 tokens (2 in the legacy sha256 form) and 2 client certificates for 2 tenants")
    }

    @Test func aKnownTokenIdentifiesItsTenant() {
        #expect(
            authenticator.authenticate(authorization: "Bearer acme-token", certificateSubject: nil)
                == .success(Principal(tenant: Self.acme, isAdmin: true, via: "token")))
        #expect(
            authenticator.authenticate(authorization: "Bearer globex-token", certificateSubject: nil)
                == .success(Principal(tenant: Self.globex, isAdmin: false, via: "token")))
    }

    @Test(arguments: ["bearer acme-token", "BEARER acme-token", "BeArEr acme-token", "  Bearer   acme-token  ", "Bearer\tacme-token"])
    func theSchemeIsCaseInsensitiveAndSpacesAreTrimmed(authorization: String) {
        #expect(
            authenticator.authenticate(authorization: authorization, certificateSubject: nil).map(\.tenant) == .success(Self.acme))
    }

    @Test func tokensAreCaseSensitive() {
        #expect(authenticator.authenticate(authorization: "Bearer ACME-TOKEN", certificateSubject: nil) == .failure(.unknownToken))
    }

    @Test func anUnknownTokenFailsEvenWithAMappedCertificate() {
        #expect(authenticator.authenticate(authorization: "Bearer nope", certificateSubject: nil) == .failure(.unknownToken))
        #expect(
            authenticator.authenticate(authorization: "Bearer nope", certificateSubject: "CN=shop,O=Globex")
                == .failure(.unknownToken))
    }

    @Test func aTokenWinsOverACertificate() {
        #expect(
            authenticator.authenticate(authorization: "Bearer acme-token", certificateSubject: "CN=shop,O=Globex")
                .map(\.tenant) == .success(Self.acme))
    }

    @Test(arguments: [
        ("", "empty"), ("   ", "empty"), ("Bearer", "token after 'Bearer' is missing"), ("Bearer   ", "token after 'Bearer' is missing"),
        ("acme-token", "scheme and a token"), ("Basic YWxhZGRpbjpvcGVu", "unsupported scheme 'Basic'"),
        ("Bearer acme token", "contains spaces"),
    ])
    func malformedAuthorizationSaysWhy(authorization: String, text: String) {
        let result = authenticator.authenticate(authorization: authorization, certificateSubject: "CN=shop,O=Globex")
        guard case .failure(.malformedAuthorization(let problem)) = result else {
            Issue.record("\(authorization): \(result)")
            return
        }
        #expect(problem.contains(text), "\(problem)")
    }

    @Test func aMappedCertificateIdentifiesItsTenant() {
        #expect(
            authenticator.authenticate(authorization: nil, certificateSubject: "CN=shop,O=Globex")
                == .success(Principal(tenant: Self.globex, isAdmin: false, via: "certificate")))
        #expect(
            authenticator.authenticate(authorization: nil, certificateSubject: "CN=ops,O=Acme")
                == .success(Principal(tenant: Self.acme, isAdmin: true, via: "certificate")))
    }

    @Test func anUnmappedCertificateIsNamed() {
        #expect(
            authenticator.authenticate(authorization: nil, certificateSubject: "CN=stranger")
                == .failure(.unknownCertificate("CN=stranger")))
    }

    @Test func noCredentialsFail() {
        #expect(authenticator.authenticate(authorization: nil, certificateSubject: nil) == .failure(.missingCredentials))
    }

    @Test func replaceSwapsCredentials() throws {
        let auth = Authenticator(mode: .tokens(Self.file))
        auth.replace(.tokens(try TokenFile.parse(yaml: "tokens:\n  - {tenant: initech, sha256: \(SHA256.hexDigest("new"))}\n")))
        #expect(auth.authenticate(authorization: "Bearer acme-token", certificateSubject: nil) == .failure(.unknownToken))
        #expect(auth.authenticate(authorization: "Bearer new", certificateSubject: nil).map(\.tenant) == .success(TenantID("initech")!))
        auth.replace(.singleTenant)
        #expect(auth.isSingleTenant)
        #expect(auth.authenticate(authorization: nil, certificateSubject: nil).map(\.tenant) == .success(.singleTenant))
        auth.replace(.tokens(Self.file))
        #expect(!auth.isSingleTenant)
        #expect(auth.authenticate(authorization: nil, certificateSubject: nil) == .failure(.missingCredentials))
    }

    @Test func reloadKeepsTheOldCredentialsWhenTheFileIsBad() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tokens.yaml").path
        let auth = Authenticator(mode: .tokens(Self.file))
        try "tokens:\n  - {tenant: initech, sha256: \(SHA256.hexDigest("fresh"))}\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try auth.reload(tokensFile: path).count == 1, "the legacy entry's warning")
        #expect(auth.authenticate(authorization: "Bearer fresh", certificateSubject: nil).map(\.tenant) == .success(TenantID("initech")!))

        try "tokens:\n  - {tenant: Bad, sha256: x}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TokenFileError.self) { try auth.reload(tokensFile: path) }
        #expect(auth.authenticate(authorization: "Bearer fresh", certificateSubject: nil).map(\.tenant) == .success(TenantID("initech")!))

        // A valid file that others can write is refused the same way.
        try "tokens:\n  - {tenant: evil, sha256: \(SHA256.hexDigest("planted"))}\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        #expect { try auth.reload(tokensFile: path) } throws: { "\($0)".contains("chmod 600 \(path)") }
        #expect(auth.authenticate(authorization: "Bearer planted", certificateSubject: nil) == .failure(.unknownToken))
        #expect(auth.authenticate(authorization: "Bearer fresh", certificateSubject: nil).map(\.tenant) == .success(TenantID("initech")!))
    }

    @Test func concurrentReadersSeeOneTableOrTheOther() async throws {
        let first = Self.file
        let second = try TokenFile.parse(yaml: "tokens:\n  - {tenant: globex, sha256: \(SHA256.hexDigest("acme-token"))}\n")
        let auth = Authenticator(mode: .tokens(first))
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for index in 0..<2_000 { auth.replace(.tokens(index.isMultiple(of: 2) ? second : first)) }
                return true
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<2_000 {
                        guard case .success(let principal) = auth.authenticate(authorization: "Bearer acme-token", certificateSubject: nil),
                            principal.tenant == Self.acme || principal.tenant == Self.globex
                        else { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
