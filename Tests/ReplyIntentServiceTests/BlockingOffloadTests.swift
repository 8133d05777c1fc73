import Alerts
import Foundation
import Logging
import Messages
import ModelCache
import RPC
import ReplyIntentService
import Crypto
import Tenancy
import TenantStore
import Testing

/// Blocking work never runs on an event loop: a call that needs an evicted model is refused on
/// the loop (``RunOffEventLoop``, nothing published) and answered when the transport runs it
/// again off the loop, where the context carries the blocking permit; a stream awaits the load.
@Suite(.timeLimit(.minutes(1))) struct BlockingOffloadTests {
    /// Tenants `a` and `b`, each with its own default model (a link to the shared one), and a
    /// memory budget with room for the shared model and one tenant model: loading `b` evicted `a`.
    final class EvictingDeployment {
        let root = NSTemporaryDirectory() + ServiceFixture.directoryPrefix + "evicting-\(getpid())-\(UUID().uuidString.prefix(8))"
        let models: ModelCache
        let harness: ServiceHarness

        init() throws {
            let shared = ServiceFixture.repositoryRoot + "/models/default.rimodel"
            let tenants = root + "/tenants"
            for tenant in ["a", "b"] {
                try FileManager.default.createDirectory(atPath: tenants + "/\(tenant)/models", withIntermediateDirectories: true)
                let path = tenants + "/\(tenant)/models/default.rimodel"
                do { try FileManager.default.linkItem(atPath: shared, toPath: path) } catch {
                    try FileManager.default.copyItem(atPath: shared, toPath: path)
                }
            }
            let size = try #require(try FileManager.default.attributesOfItem(atPath: shared)[.size] as? Int)
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let layout = TenantLayout(tenantsDirectory: tenants)
            models = try ModelCache(
                configuration: ModelCacheConfiguration(
                    defaultModelPath: shared, openTenantModels: layout.openModels, memoryBudgetBytes: size * 5 / 2),
                logger: logger)
            let tokens = try TokenFile.parse(
                yaml: """
                    tokens:
                      - tenant: a
                        sha256: \(SHA256.hexDigest("a-token"))
                      - tenant: b
                        sha256: \(SHA256.hexDigest("b-token"))
                    """)
            let store = try TenantStore(
                layout: layout, bundledTemplatesDirectory: ServiceFixture.repositoryRoot + "/Templates",
                credentials: Authenticator(mode: .tokens(tokens)))
            harness = ServiceHarness(
                dependencies: ServiceDependencies(
                    reloads: ReloadCoordinator(
                        store: store, models: models, tokensFile: nil, sharedModelPath: shared, logger: logger),
                    alerts: AlertHub<Alert>(), logger: logger))
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func state(_ tenant: String) -> ModelStatus.State? {
            models.statuses().first { $0.key.tenant == tenant }?.state
        }
    }

    static let path = ServiceHarness.service + "ClassifyIntent"

    @Test func aCallNeedingAnEvictedModelIsRefusedOnTheLoopAndAnsweredOffIt() throws {
        let deployment = try EvictingDeployment()
        try #require(deployment.state("a") == .evicted)
        guard case .success(.unary(let handler)) = deployment.harness.router.resolve(Self.path).map(\.handler) else {
            Issue.record("ClassifyIntent is not a unary method")
            return
        }
        let bytes = ClassifyIntentRequest(message: BuyerMessage(messageID: "m1", text: "where is my order?"))
            .serializedBytes()
        let info = ServiceHarness.info(Self.path, token: "a-token")

        let onLoop = UnaryContext(info: info, requestWasCompressed: false)
        #expect(onLoop.blockingPermit == nil)
        #expect(throws: RunOffEventLoop.self) { try handler(bytes, onLoop) }
        #expect(deployment.state("a") == .evicted)  // nothing was loaded on the loop

        let offLoop = UnaryContext(info: info, requestWasCompressed: false, isOnEventLoop: false)
        #expect(offLoop.blockingPermit != nil)
        let response = try ClassifyIntentResponse(serializedBytes: try handler(bytes, offLoop))
        #expect(response.classification?.model?.tenant == "a")
        #expect(response.classification?.intent == "order_status")
        #expect(deployment.state("a") == .loaded)
        #expect(deployment.state("b") == .evicted)  // the load made room by evicting the other one
    }

    @Test func aStreamAwaitsTheLoadOfAnEvictedModel() async throws {
        let deployment = try EvictingDeployment()
        try #require(deployment.state("a") == .evicted)
        let stream = deployment.harness.stream(token: "a-token")
        stream.message("m1", "where is my order?")
        guard case .classification(let classification)? = try await stream.next() else {
            Issue.record("no classification")
            return
        }
        #expect(classification.model?.tenant == "a")
        #expect(deployment.state("a") == .loaded)
        guard case .success = await stream.finish() else {
            Issue.record("stream did not end OK")
            return
        }
    }
}
