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
}
