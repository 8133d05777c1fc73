import Alerts
import Classifier
import Messages
import Policy
import RPC
import Replies
@testable import ReplyIntentService
import Testing

/// SuggestReply renders the tenant's template (its override, else the bundled one) in the
/// buyer's language and decides what to do with it.
@Suite struct HandlerSuggestReplyTests {
    let harness: ServiceHarness
    static let path = ServiceHarness.service + "SuggestReply"

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    func suggest(_ text: String, variables: [String: String] = [:], token: String) throws -> SuggestReplyResponse {
        try harness.call(
            Self.path, SuggestReplyRequest(message: BuyerMessage(messageID: "s1", text: text), variables: variables),
            token: token, as: SuggestReplyResponse.self)
    }

    @Test func theTenantsOverrideWinsInItsLanguage() throws {
        let response = try suggest(
            "Where is my order? I ordered it last week", variables: ["order_id": "A-123", "buyer_name": "Ana"],
            token: ServiceFixture.acmeToken)
        try #require(response.classification?.intent == "order_status")
        #expect(response.templateID == "acme/en/order_status")
        #expect(response.replyText == "Acme here, Ana: order A-123 is on its way.")
        #expect(response.replyLanguage == "en")
        #expect(response.replyLanguageSource == .buyer)
        #expect(!response.missingVariables.contains("order_id"))
        #expect(response.decision != .unspecified)
        #expect(!response.decisionReasons.isEmpty)
    }

    @Test func otherTenantsGetTheBundledTemplates() throws {
        let response = try suggest("Where is my order? I ordered it last week", token: ServiceFixture.otherToken)
        try #require(response.classification?.intent == "order_status")
        #expect(response.templateID == "default/en/order_status")
        #expect(!response.replyText.isEmpty)
        // The bundled order_status template needs the order id; without it a person must look.
        #expect(response.missingVariables.contains("order_id"))
        #expect(response.decision != .autoSend)
        // Default policy is suggest_only: never sent automatically.
        #expect(response.decision == .suggest || response.decision == .escalate)
    }

    @Test func aSpanishBuyerGetsASpanishReply() throws {
        let response = try suggest(
            "Hola, ¿dónde está mi pedido? Lo compré hace dos semanas y no ha llegado", token: ServiceFixture.acmeToken)
        #expect(response.replyLanguage == "es")
        #expect(response.replyLanguageSource == .buyer)
        #expect(response.templateID.hasPrefix("default/es/"))
    }

    @Test func askingForAHumanEscalates() throws {
        let response = try suggest("I want to talk to a human agent, not a bot", token: ServiceFixture.acmeToken)
        try #require(response.classification?.intent == "human_agent")
        #expect(response.decision == .escalate)
        #expect(response.decisionReasons.contains { $0.contains("human_agent") })
    }

    @Test func suggestReplyAlsoRaisesAlerts() throws {
        _ = try suggest("thanks a lot!", token: ServiceFixture.acmeToken)
        #expect(harness.dependencies.alerts.stats(tenant: "acme").nextSequence == 2)
    }
}

/// The decision when the templates have nothing for the intent (a tenant model with its own labels).
@Suite struct HandlerReplyDecisionTests {
    @Test func noTemplateMeansAPersonLooks() {
        let analysis = Analysis(
            intent: IntentPrediction(
                intent: "warranty_claim", confidence: 0.99, margin: 0.9, isOutOfScope: false,
                top: [ScoredIntent(label: "warranty_claim", confidence: 0.99)]),
            language: LanguageGuess(code: "en", confidence: 0.99), unfamiliarLanguage: false, tone: 0,
            negativeTone: false, risks: [])
        var policy = TenantPolicy()
        policy.mode = .auto
        let outcome = ReplyDecision.decide(
            analysis: analysis, assessment: PriorityAssessment(priority: .normal, reasons: ["an ordinary question"]),
            policy: policy, reply: nil)
        #expect(outcome.decision == .escalate)
        #expect(outcome.reasons.first == "no reply template for intent warranty_claim in any language")
    }

    @Test func decisionsMapToTheProtoValues() {
        #expect(ReplyDecision.decision(.autoSend) == .autoSend)
        #expect(ReplyDecision.decision(.suggest) == .suggest)
        #expect(ReplyDecision.decision(.escalate) == .escalate)
        #expect(ReplyDecision.languageSource(.tenantDefault) == .tenantDefault)
    }
}
