import Messages
import RPC
import ReplyIntentService
import Tenancy
import Testing

/// Every RPC authenticates first: no or wrong credentials are UNAUTHENTICATED with the reason,
/// before the request is even decoded.
@Suite struct HandlerAuthenticationTests {
    let harness: ServiceHarness

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    static let methods = [
        ServiceHarness.service + "ClassifyIntent", ServiceHarness.service + "SuggestReply",
        ServiceHarness.admin + "ListModels", ServiceHarness.admin + "ReloadModels",
    ]

    @Test(arguments: methods)
    func missingCredentialsAreUnauthenticated(path: String) async {
        let error = await harness.invocationFailure(path, bytes: [], token: nil)
        #expect(error?.code == .unauthenticated)
        #expect(error?.message == AuthenticationError.missingCredentials.description)
    }

    @Test(arguments: methods)
    func anUnknownTokenIsUnauthenticated(path: String) async {
        let error = await harness.invocationFailure(path, bytes: [], token: "not-a-token")
        #expect(error?.code == .unauthenticated)
        #expect(error?.message == AuthenticationError.unknownToken.description)
    }

    @Test func authenticationComesBeforeDecoding() {
        let garbage: [UInt8] = [0xFF, 0xFF, 0xFF]
        let path = ServiceHarness.service + "ClassifyIntent"
        #expect(harness.failure(path, bytes: garbage, token: nil)?.code == .unauthenticated)
        #expect(harness.failure(path, bytes: garbage, token: ServiceFixture.acmeToken)?.code == .invalidArgument)
    }

    @Test func malformedAuthorizationSaysWhatIsWrong() {
        let path = ServiceHarness.service + "ClassifyIntent"
        var metadata = Metadata()
        metadata.add("authorization", "Basic dXNlcjpwYXNz")
        let info = ServerCallInfo(
            path: MethodPath(path: path)!, requestMetadata: metadata, deadline: nil, peer: "127.0.0.1:1")
        guard case .success(.unary(let handler)) = harness.router.resolve(path).map(\.handler) else {
            Issue.record("not unary")
            return
        }
        #expect {
            _ = try handler([], UnaryContext(info: info, requestWasCompressed: false))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unauthenticated && error.message.contains("malformed authorization")
        }
    }

    @Test func aStreamWithoutCredentialsFailsUnauthenticated() async {
        let stream = harness.stream(token: nil)
        let outcome = await stream.finish()
        guard case .failure(let error) = outcome else {
            Issue.record("stream without credentials succeeded")
            return
        }
        #expect(error.code == .unauthenticated)
    }

    @Test func singleTenantModeMakesEveryCallerTheAdminDefaultTenant() throws {
        let harness = try ServiceFixture.get().harness(authentication: .singleTenant)
        let classification = try harness.classify("where is my order?", token: nil)
        #expect(classification.intent == "order_status")
        let models = try harness.call(
            ServiceHarness.admin + "ListModels", ListModelsRequest(), token: nil, as: ListModelsResponse.self)
        #expect(models.models.contains { $0.tenant == "" && $0.name == "default" })
    }
}
