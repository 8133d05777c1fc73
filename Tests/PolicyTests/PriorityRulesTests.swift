import Classifier
import Testing
import Policy

@Suite struct PriorityRulesTests {
    @Test(arguments: RiskCategory.allCases.filter(\.isThreat))
    func everyThreatIsUrgent(category: RiskCategory) {
        let result = PriorityRules.assess(Fixture.analysis(risks: [Fixture.hit("word", category)]))
        #expect(result.priority == .urgent)
        #expect(result.reasons == ["threat term \"word\" (\(category.rawValue))"])
    }

    @Test(arguments: [RiskCategory.scam, .fraud])
    func anAngryAccusationIsUrgent(category: RiskCategory) {
        let result = PriorityRules.assess(Fixture.analysis(tone: 0.91, risks: [Fixture.hit("scam", category)]))
        #expect(result.priority == .urgent)
        #expect(result.reasons == ["high-risk term \"scam\" (\(category.rawValue)) with angry tone 0.91"])
    }

    @Test(arguments: [RiskCategory.scam, .fraud, .fake, .counterfeit])
    func aCalmRiskTermIsHigh(category: RiskCategory) {
        let result = PriorityRules.assess(Fixture.analysis(tone: 0.2, risks: [Fixture.hit("fake", category)]))
        #expect(result.priority == .high)
        #expect(result.reasons == ["high-risk term \"fake\" (\(category.rawValue))"])
    }

    @Test func anAngryFakeComplaintIsHighNotUrgent() {
        let result = PriorityRules.assess(Fixture.analysis(tone: 0.8, risks: [Fixture.hit("fake", .fake)]))
        #expect(result.priority == .high)
        #expect(result.reasons == ["high-risk term \"fake\" (risk.fake)", "angry tone 0.80"])
    }

    @Test func angerAloneIsHigh() {
        let result = PriorityRules.assess(Fixture.analysis(tone: 0.913))
        #expect(result.priority == .high)
        #expect(result.reasons == ["angry tone 0.91"])
    }

    @Test func angerFollowsTheModelsFlagNotAFixedNumber() {
        #expect(PriorityRules.assess(Fixture.analysis(tone: 0.9, angry: false)).priority == .normal)
        #expect(PriorityRules.assess(Fixture.analysis(tone: 0.3, angry: true)).priority == .high)
    }

    @Test(arguments: ["complaint", "payment_problem", "delivery_problem", "refund_request", "human_agent", "cancel_order"])
    func attentionIntentsAreHigh(intent: String) {
        let result = PriorityRules.assess(Fixture.analysis(intent: intent))
        #expect(result.priority == .high)
        #expect(result.reasons == ["intent \(intent) needs a prompt answer"])
    }

    @Test(arguments: ["greeting", "thanks_goodbye", "feedback_review"])
    func calmRoutineIntentsAreLow(intent: String) {
        let result = PriorityRules.assess(Fixture.analysis(intent: intent, tone: 0.05))
        #expect(result.priority == .low)
        #expect(result.reasons == ["intent \(intent) with a calm tone 0.05"])
    }

    @Test func angryFeedbackIsHigh() {
        let result = PriorityRules.assess(Fixture.analysis(intent: "feedback_review", tone: 0.75))
        #expect(result.priority == .high)
        #expect(result.reasons == ["angry tone 0.75"])
    }

    @Test func outOfScopeIsLow() {
        let result = PriorityRules.assess(Fixture.analysis(intent: "other", confidence: 0.3))
        #expect(result.priority == .low)
        #expect(result.reasons == ["out of scope: no intent to answer"])
    }

    @Test func outOfScopeDoesNotCountAsAnAttentionIntent() {
        // A low-confidence "complaint" the model sent to other is not high on its intent alone.
        let result = PriorityRules.assess(Fixture.analysis(intent: "complaint", outOfScope: true))
        #expect(result.priority == .low)
    }

    @Test func outOfScopeWithAThreatIsStillUrgent() {
        let result = PriorityRules.assess(Fixture.analysis(intent: "other", risks: [Fixture.hit("police", .police)]))
        #expect(result.priority == .urgent)
    }

    @Test func everythingElseIsNormal() {
        let result = PriorityRules.assess(Fixture.analysis(intent: "shipping_info", tone: 0.2))
        #expect(result.priority == .normal)
        #expect(result.reasons == ["intent shipping_info with a calm tone 0.20 and no risk terms"])
    }

    @Test func urgentListsEveryFindingMostSevereFirstAndEachTermOnce() {
        let analysis = Fixture.analysis(
            intent: "complaint", tone: 0.95,
            risks: [
                Fixture.hit("fake", .fake, at: 0), Fixture.hit("chargeback", .chargeback, at: 10),
                Fixture.hit("chargeback", .chargeback, at: 30), Fixture.hit("scam", .scam, at: 50),
            ])
        let result = PriorityRules.assess(analysis)
        #expect(result.priority == .urgent)
        #expect(
            result.reasons == [
                "threat term \"chargeback\" (threat.chargeback)",
                "high-risk term \"scam\" (risk.scam) with angry tone 0.95",
                "high-risk term \"fake\" (risk.fake)",
                "intent complaint needs a prompt answer",
            ])
    }

    @Test func reasonsAreNeverEmpty() {
        for intent in ["order_status", "other", "greeting", "complaint"] {
            for tone in [0.0, 0.9] {
                #expect(!PriorityRules.assess(Fixture.analysis(intent: intent, tone: tone)).reasons.isEmpty)
            }
        }
    }
}
