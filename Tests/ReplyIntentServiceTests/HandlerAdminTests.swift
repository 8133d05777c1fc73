import Messages
import RPC
import ReplyIntentService
import Testing

/// ListModels and ReloadModels: admin credentials only.
@Suite struct HandlerAdminTests {
    let harness: ServiceHarness
    static let list = ServiceHarness.admin + "ListModels"
    static let reload = ServiceHarness.admin + "ReloadModels"

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    @Test(arguments: [list, reload])
    func tenantsThatAreNotAdminsArePermissionDenied(path: String) async {
        let error = await harness.invocationFailure(path, bytes: [], token: ServiceFixture.acmeToken)
        #expect(error?.code == .permissionDenied)
        #expect(error?.message.contains("admin RPCs need an admin token") == true)
    }

    @Test func listModelsShowsTheSharedDefault() throws {
        let response = try harness.call(Self.list, ListModelsRequest(), token: ServiceFixture.adminToken, as: ListModelsResponse.self)
        let shared = try #require(response.models.first { $0.tenant == "" && $0.name == "default" })
        #expect(shared.state == .loaded)
        #expect(shared.version.contains("+"))
        #expect(shared.path.hasSuffix("models/default.rimodel"))
        #expect(shared.sizeBytes > 1_000_000)
        #expect(shared.loadedAtUnixMs > 1_700_000_000_000)
        #expect(shared.loadDurationMs > 0)
        #expect(shared.lastError.isEmpty)
        #expect(response.memoryBudgetBytes > 0)
        #expect(response.memoryUsedBytes > 0)
    }

    @Test func listModelsFiltersByTenant() throws {
        let response = try harness.call(
            Self.list, ListModelsRequest(tenant: "acme"), token: ServiceFixture.adminToken, as: ListModelsResponse.self)
        #expect(!response.models.isEmpty && response.models.allSatisfy { $0.tenant == "acme" })
        let bad = harness.failure(Self.list, ListModelsRequest(tenant: "Not A Tenant"), token: ServiceFixture.adminToken)
        #expect(bad?.code == .invalidArgument)
        #expect(bad?.message.contains("tenant") == true)
    }

    @Test func reloadModelsRescansAndListsEveryModel() async throws {
        let response = try await harness.invoke(
            Self.reload, ReloadModelsRequest(), token: ServiceFixture.adminToken, as: ReloadModelsResponse.self)
        #expect(response.models.contains { $0.tenant == "" && $0.name == "default" && $0.state == .loaded })
        #expect(response.models.contains { $0.tenant == "acme" && $0.name == "support" })
    }

    @Test func reloadModelsRunsInATaskNotOnTheEventLoop() {
        guard case .success(.streaming) = harness.router.resolve(Self.reload).map(\.handler) else {
            Issue.record("ReloadModels is not served in a task")
            return
        }
        guard case .success(.unary) = harness.router.resolve(Self.list).map(\.handler) else {
            Issue.record("ListModels is not inline")
            return
        }
    }

    @Test func reloadModelsWithoutARequestIsInvalid() async throws {
        guard case .success(.streaming(let handler)) = harness.router.resolve(Self.reload).map(\.handler) else { return }
        let (requests, source) = RequestStream.makeStream()
        source.finish()
        await #expect(throws: RPCError.self) {
            _ = try await handler(
                StreamingCall(
                    info: ServiceHarness.info(Self.reload, token: ServiceFixture.adminToken), requests: requests,
                    responses: CollectingWriter()))
        }
    }
}
