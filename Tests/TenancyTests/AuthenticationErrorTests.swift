import Testing
import Tenancy

@Suite struct AuthenticationErrorTests {
    @Test func descriptionsTellTheCallerWhatToSend() {
        #expect(AuthenticationError.missingCredentials.description.hasPrefix(
            "missing credentials: send 'authorization: Bearer <token>' metadata"))
        #expect(AuthenticationError.malformedAuthorization("the value is empty").description
            == "malformed authorization metadata: the value is empty; send 'authorization: Bearer <token>'")
        #expect(AuthenticationError.unknownToken.description.contains("tokens file"))
        let certificate = AuthenticationError.unknownCertificate("CN=x,O=Shop").description
        #expect(certificate.contains("'CN=x,O=Shop'"))
        #expect(certificate.contains("client_certificates"))
    }
}
