import Classifier
import Testing
import Policy

@Suite struct DecisionEngineTests {
    static var auto: TenantPolicy {
        var policy = TenantPolicy()
        policy.mode = .auto
        return policy
    }

    func decide(_ analysis: Analysis, _ policy: TenantPolicy = auto, missing: [String] = []) -> DecisionOutcome {
        DecisionEngine.decide(
            analysis: analysis, priority: PriorityRules.assess(analysis), policy: policy, missingVariables: missing)
    }

    // MARK: AUTO_SEND

    @Test func autoSendsAConfidentSafeCompleteReply() {
        let outcome = decide(Fixture.analysis(intent: "order_status", confidence: 0.97))
        #expect(outcome.decision == .autoSend)
        #expect(outcome.reasons == ["auto mode: confidence 0.97 clears 0.85 for order_status and every variable is present"])
    }

    @Test func confidenceEqualToTheThresholdClearsIt() {
        var policy = Self.auto
        policy.confidenceThreshold = 0.5
        #expect(decide(Fixture.analysis(confidence: 0.5), policy).decision == .autoSend)
    }

    @Test func aPerIntentThresholdOverridesTheDefault() {
        var policy = Self.auto
        policy.intentThresholds = ["order_status": 0.95, "greeting": 0.6]
        let order = decide(Fixture.analysis(intent: "order_status", confidence: 0.9), policy)
        #expect(order.decision == .suggest)
        #expect(order.reasons == ["confidence 0.90 is below the threshold 0.95 for order_status"])
        let greeting = decide(Fixture.analysis(intent: "greeting", confidence: 0.7), policy)
        #expect(greeting.decision == .autoSend)
        #expect(greeting.reasons == ["auto mode: confidence 0.70 clears 0.60 for greeting and every variable is present"])
    }

    // MARK: SUGGEST

    @Test func suggestOnlyModeNeverAutoSends() {
        let outcome = decide(Fixture.analysis(confidence: 0.99), .default)
        #expect(outcome.decision == .suggest)
        #expect(outcome.reasons == ["mode suggest_only: an agent sends every reply"])
    }

    @Test func suggestOnlyModeNotesWhatTheAgentShouldKnow() {
        let outcome = decide(Fixture.analysis(intent: "other"), .default, missing: ["order_id"])
        #expect(outcome.decision == .suggest)
        #expect(
            outcome.reasons == [
                "mode suggest_only: an agent sends every reply", "out of scope: no intent to answer", "missing variable order_id",
            ])
    }

    @Test func lowConfidenceSuggests() {
        let outcome = decide(Fixture.analysis(intent: "order_status", confidence: 0.71))
        #expect(outcome.decision == .suggest)
        #expect(outcome.reasons == ["confidence 0.71 is below the threshold 0.85 for order_status"])
    }

    @Test func aConfidenceJustBelowTheThresholdShowsTheDifference() {
        let outcome = decide(Fixture.analysis(confidence: 0.849))
        #expect(outcome.decision == .suggest)
        #expect(outcome.reasons == ["confidence 0.849 is below the threshold 0.850 for order_status"])
    }

    @Test func missingVariablesSuggestAndAreEachNamed() {
        let outcome = decide(Fixture.analysis(confidence: 0.99), missing: ["order_id", "tracking_url"])
        #expect(outcome.decision == .suggest)
        #expect(outcome.reasons == ["missing variable order_id", "missing variable tracking_url"])
    }

    @Test func everyBlockerIsListed() {
        let outcome = decide(Fixture.analysis(confidence: 0.5), missing: ["eta"])
        #expect(outcome.reasons == ["confidence 0.50 is below the threshold 0.85 for order_status", "missing variable eta"])
    }

    @Test func outOfScopeNeverAutoSendsEvenWhenConfident() {
        var policy = Self.auto
        policy.confidenceThreshold = 0
        let outcome = decide(Fixture.analysis(intent: "other", confidence: 0.99), policy)
        #expect(outcome.decision == .suggest)
        #expect(outcome.reasons == ["out of scope: no intent to answer"])
        // An in-vocabulary top class demoted to out of scope (low margin, unfamiliar language) counts too.
        let demoted = decide(Fixture.analysis(intent: "order_status", confidence: 0.99, outOfScope: true), policy)
        #expect(demoted.decision == .suggest)
        #expect(demoted.reasons == ["out of scope: no intent to answer"])
    }

    // MARK: ESCALATE

    @Test(arguments: [PolicyMode.auto, .suggestOnly])
    func alwaysHumanIntentsEscalateInEveryMode(mode: PolicyMode) {
        var policy = TenantPolicy()
        policy.mode = mode
        for intent in ["complaint", "human_agent"] {
            let outcome = decide(Fixture.analysis(intent: intent, confidence: 0.99, tone: 0.1), policy)
            #expect(outcome.decision == .escalate)
            #expect(outcome.reasons == ["intent \(intent) always goes to a human"])
        }
    }

    @Test func alwaysHumanIsConfigurable() {
        var policy = Self.auto
        policy.alwaysHuman = ["refund_request"]
        #expect(decide(Fixture.analysis(intent: "complaint"), policy).decision == .autoSend)
        #expect(decide(Fixture.analysis(intent: "refund_request"), policy).reasons == ["intent refund_request always goes to a human"])
    }

    @Test func angerEscalatesByTheModelsFlag() {
        let outcome = decide(Fixture.analysis(tone: 0.91, angry: true))
        #expect(outcome.decision == .escalate)
        #expect(outcome.reasons == ["angry tone 0.91"])
        #expect(decide(Fixture.analysis(tone: 0.91, angry: false)).decision == .autoSend)
    }

    @Test func aPolicyAngerThresholdReplacesTheModels() {
        var policy = Self.auto
        policy.angerThreshold = 0.4
        let outcome = decide(Fixture.analysis(tone: 0.45, angry: false), policy)
        #expect(outcome.decision == .escalate)
        #expect(outcome.reasons == ["angry tone 0.45 reaches the anger threshold 0.40"])
        policy.angerThreshold = 0.95
        #expect(decide(Fixture.analysis(tone: 0.91, angry: true), policy).decision == .autoSend)
    }

    @Test func angerEscalationCanBeTurnedOff() {
        var policy = Self.auto
        policy.escalateOnAnger = false
        #expect(decide(Fixture.analysis(tone: 0.99, angry: true), policy).decision == .autoSend)
        policy.angerThreshold = 0.1
        #expect(decide(Fixture.analysis(tone: 0.99, angry: true), policy).decision == .autoSend)
    }

    @Test func threatsEscalateUnlessTurnedOff() {
        let analysis = Fixture.analysis(risks: [Fixture.hit("chargeback", .chargeback)])
        let outcome = decide(analysis)
        #expect(outcome.decision == .escalate)
        #expect(outcome.reasons == ["threat term \"chargeback\" (threat.chargeback)"])
        var policy = Self.auto
        policy.escalateOnThreats = false
        #expect(decide(analysis, policy).decision == .autoSend)
    }

    @Test func riskTermsEscalateUnlessTurnedOff() {
        let analysis = Fixture.analysis(risks: [Fixture.hit("scam", .scam)])
        let outcome = decide(analysis)
        #expect(outcome.decision == .escalate)
        #expect(outcome.reasons == ["high-risk term \"scam\" (risk.scam)"])
        var policy = Self.auto
        policy.escalateOnRiskTerms = false
        #expect(decide(analysis, policy).decision == .autoSend)
    }

    @Test func threatAndRiskSwitchesAreIndependent() {
        let analysis = Fixture.analysis(risks: [Fixture.hit("fake", .fake), Fixture.hit("lawyer", .lawyer, at: 9)])
        var policy = Self.auto
        policy.escalateOnThreats = false
        #expect(decide(analysis, policy).reasons == ["high-risk term \"fake\" (risk.fake)"])
        policy.escalateOnThreats = true
        policy.escalateOnRiskTerms = false
        #expect(decide(analysis, policy).reasons == ["threat term \"lawyer\" (threat.lawyer)"])
    }

    @Test func escalationListsEveryCauseOnce() {
        let analysis = Fixture.analysis(
            intent: "complaint", tone: 0.93, angry: true,
            risks: [Fixture.hit("scam", .scam), Fixture.hit("chargeback", .chargeback, at: 10), Fixture.hit("scam", .scam, at: 30)])
        let outcome = decide(analysis, missing: ["order_id"])
        #expect(outcome.decision == .escalate)
        #expect(
            outcome.reasons == [
                "intent complaint always goes to a human", "high-risk term \"scam\" (risk.scam)",
                "threat term \"chargeback\" (threat.chargeback)", "angry tone 0.93",
            ])
    }

    @Test func escalateAtPriorityUsesTheAssessedPriority() {
        var policy = Self.auto
        policy.escalateAtPriority = .high
        let analysis = Fixture.analysis(intent: "refund_request", confidence: 0.99)
        let priority = PriorityRules.assess(analysis)
        #expect(priority.priority == .high)
        let outcome = DecisionEngine.decide(analysis: analysis, priority: priority, policy: policy, missingVariables: [])
        #expect(outcome.decision == .escalate)
        #expect(
            outcome.reasons == [
                "priority high is at or above escalate_at_priority high (intent refund_request needs a prompt answer)"
            ])
        // Without it, priority alone never escalates.
        #expect(DecisionEngine.decide(analysis: analysis, priority: priority, policy: Self.auto, missingVariables: []).decision == .autoSend)
        // A lower assessed priority does not reach it.
        let calm = PriorityAssessment(priority: .normal, reasons: ["x"])
        #expect(DecisionEngine.decide(analysis: analysis, priority: calm, policy: policy, missingVariables: []).decision == .autoSend)
    }

    @Test func reasonsAreNeverEmpty() {
        let analyses = [
            Fixture.analysis(), Fixture.analysis(intent: "other"), Fixture.analysis(confidence: 0.1),
            Fixture.analysis(intent: "complaint"), Fixture.analysis(tone: 0.9),
            Fixture.analysis(risks: [Fixture.hit("police", .police)]),
        ]
        for mode in PolicyMode.allCases {
            var policy = TenantPolicy()
            policy.mode = mode
            for analysis in analyses {
                for missing in [[], ["eta"]] {
                    #expect(!decide(analysis, policy, missing: missing).reasons.isEmpty)
                }
            }
        }
    }
}
