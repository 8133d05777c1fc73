import Alerts
import Messages
import ModelCache
import Policy
import RPC
@testable import ReplyIntentService
import Tenancy
import TenantStore
import Testing

/// ClassifyIntent answers with the model's analysis, the priority and the model that produced it,
/// and raises alerts per the tenant's policy.
@Suite struct HandlerClassifyTests {
    let harness: ServiceHarness

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    @Test func classifiesAnOrderQuestion() throws {
        let request = ClassifyIntentRequest(
            message: BuyerMessage(messageID: "m-7", conversationID: "c-9", text: "Where is my order? It has not arrived yet"))
        let response = try harness.call(
            ServiceHarness.service + "ClassifyIntent", request, token: ServiceFixture.otherToken,
            as: ClassifyIntentResponse.self)
        let classification = try #require(response.classification)
        #expect(classification.messageID == "m-7")
        #expect(classification.conversationID == "c-9")
        #expect(classification.intent == "order_status" || classification.intent == "delivery_problem")
        #expect(classification.confidence > 0 && classification.confidence <= 1)
        #expect(classification.rankedIntents.count == 3)
        #expect(classification.rankedIntents.first?.confidence == classification.confidence || classification.outOfScope)
        #expect(classification.language?.code == "en")
        #expect(classification.priority.rawValue >= 1 && classification.priority.rawValue <= 4)
        #expect(!classification.priorityReasons.isEmpty)
        let model = try #require(classification.model)
        #expect(model.tenant == "" && model.name == "default")
        #expect(model.version.contains("+"))
    }

    @Test func topKControlsTheRankedIntents() throws {
        #expect(try harness.classify("hello", token: ServiceFixture.acmeToken, topK: 1).rankedIntents.count == 1)
        let all = try harness.classify("hello", token: ServiceFixture.acmeToken, topK: 23).rankedIntents
        #expect(all.count == 23)
        #expect(Set(all.map(\.intent)).count == 23)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
    }

    @Test func threatsAreUrgentWithRiskHits() throws {
        let classification = try harness.classify(
            "This is a scam! I will file a chargeback and call my lawyer if you don't refund me today",
            token: ServiceFixture.otherToken)
        #expect(classification.priority == .urgent)
        let categories = Set(classification.riskHits.map(\.category))
        #expect(categories.contains("threat.chargeback"))
        #expect(categories.contains("risk.scam"))
        #expect(classification.priorityReasons.contains { $0.contains("chargeback") })
    }

    @Test func aDetectedLanguageIsReportedWhateverTheHint() throws {
        let request = ClassifyIntentRequest(
            message: BuyerMessage(text: "¿Dónde está mi pedido? Lo compré hace dos semanas", languageHint: "de"))
        let response = try harness.call(
            ServiceHarness.service + "ClassifyIntent", request, token: ServiceFixture.acmeToken,
            as: ClassifyIntentResponse.self)
        #expect(response.classification?.language?.code == "es")
    }

    @Test func alertsFollowTheTenantsMinimumPriority() throws {
        let hub = harness.dependencies.alerts
        // acme's policy raises alerts from LOW: every message.
        _ = try harness.classify("hello there", token: ServiceFixture.acmeToken)
        #expect(hub.stats(tenant: "acme").nextSequence == 2)
        // other has the default policy (HIGH): a greeting raises none, a threat does.
        _ = try harness.classify("hello there", token: ServiceFixture.otherToken)
        #expect(hub.stats(tenant: "other").nextSequence == 1)
        _ = try harness.classify("I will report you to the police, you scammers", token: ServiceFixture.otherToken)
        #expect(hub.stats(tenant: "other").nextSequence == 2)
    }

    @Test func theAlertCarriesTheMessageAndTheClassification() async throws {
        let subscriber = try harness.dependencies.alerts.subscribe(tenant: "other", minPriority: 3, resumeAfter: 0)
        let request = ClassifyIntentRequest(
            message: BuyerMessage(
                messageID: "m-1", conversationID: "c-1", buyerID: "b-1", platform: .shopee,
                text: "Fraud! I'm opening a dispute and a chargeback right now"))
        let response = try harness.call(
            ServiceHarness.service + "ClassifyIntent", request, token: ServiceFixture.otherToken,
            as: ClassifyIntentResponse.self)
        let classification = try #require(response.classification)
        guard case .alert(let sequence, let priority, let alert)? = await subscriber.next() else {
            Issue.record("no alert delivered")
            return
        }
        #expect(sequence == 1 && alert.sequence == 1)
        #expect(priority == Int(classification.priority.rawValue))
        #expect(alert.messageID == "m-1" && alert.conversationID == "c-1" && alert.buyerID == "b-1")
        #expect(alert.platform == .shopee)
        #expect(alert.intent == classification.intent)
        #expect(alert.priority == classification.priority)
        #expect(alert.reasons == classification.priorityReasons)
        #expect(alert.raisedAtUnixMs > 1_700_000_000_000)
        subscriber.cancel()
    }
}

/// Model choice: the request's model, else the tenant policy's, else the shared default.
@Suite struct HandlerModelChoiceTests {
    let harness: ServiceHarness

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    @Test func theTenantPolicysModelIsItsDefault() throws {
        let model = try harness.classify("where is my order?", token: ServiceFixture.acmeToken).model
        #expect(model?.tenant == "acme")
        #expect(model?.name == "support")
        #expect(model?.version.isEmpty == false)
    }

    @Test func aRequestNamesTheTenantsOwnModelEitherWay() throws {
        for name in ["support", "acme/support"] {
            let model = try harness.classify("hello", token: ServiceFixture.acmeToken, model: name).model
            #expect(model?.tenant == "acme" && model?.name == "support")
        }
        // "default" is the shared model (acme has no model of that name).
        let shared = try harness.classify("hello", token: ServiceFixture.acmeToken, model: "default").model
        #expect(shared?.tenant == "" && shared?.name == "default")
    }

    @Test func anotherTenantCannotUseItEvenByItsBareName() {
        let request = ClassifyIntentRequest(message: BuyerMessage(text: "hello"), model: "support")
        let error = harness.failure(ServiceHarness.service + "ClassifyIntent", request, token: ServiceFixture.otherToken)
        #expect(error?.code == .notFound)
        let spelled = ClassifyIntentRequest(message: BuyerMessage(text: "hello"), model: "acme/support")
        #expect(
            harness.failure(ServiceHarness.service + "ClassifyIntent", spelled, token: ServiceFixture.otherToken)?.code
                == .permissionDenied)
    }

    @Test func adminsSeeTenantModels() throws {
        let response = try harness.call(
            ServiceHarness.admin + "ListModels", ListModelsRequest(tenant: "acme"), token: ServiceFixture.adminToken,
            as: ListModelsResponse.self)
        #expect(response.models.map(\.name) == ["support"])
        #expect(response.models.first?.tenant == "acme")
    }
}

extension HandlerModelChoiceTests {
    @Test func aPolicyModelThatIsNotAvailableFallsBackToTheDefault() async throws {
        let pipeline = ClassificationPipeline(try ServiceFixture.get().dependencies)
        let acme = TenantID("acme")!
        var policy = TenantPolicy()
        policy.model = "not-there"
        let dependencies = try ServiceFixture.get().dependencies
        let config = TenantSnapshot(
            tenant: acme, policy: policy, composer: dependencies.tenants.defaultSnapshot.composer, origin: "test")
        let byPolicy = try ModelChoice("", policy: policy, tenant: acme)
        #expect(try pipeline.model(byPolicy, for: acme, snapshot: config, permit: nil)?.key == ModelKey.sharedDefault)
        #expect(try await pipeline.model(byPolicy, for: acme, snapshot: config).key == ModelKey.sharedDefault)
        // Named explicitly, the same model is NOT_FOUND.
        let named = try ModelChoice("not-there", policy: policy, tenant: acme)
        #expect(throws: RPCError.self) { try pipeline.model(named, for: acme, snapshot: config, permit: nil) }
        await #expect(throws: RPCError.self) { try await pipeline.model(named, for: acme, snapshot: config) }
    }
}
