import Classifier

/// Decides AUTO_SEND, SUGGEST or ESCALATE for one classified message under a tenant's policy.
///
/// 1. **ESCALATE** when anything calls for a person, each named in the reasons:
///    - the intent is in `alwaysHuman` ("intent complaint always goes to a human");
///    - `escalateOnThreats` and a `threat.*` term (`threat term "chargeback" (threat.chargeback)`);
///    - `escalateOnRiskTerms` and a `risk.*` term (`high-risk term "scam" (risk.scam)`);
///    - `escalateOnAnger` and an angry tone: tone >= `angerThreshold`, or the model's
///      `negativeTone` when the policy sets no threshold ("angry tone 0.91");
///    - `escalateAtPriority` is set and the priority is at or above it.
///    Escalation applies in both modes.
/// 2. Else, in `suggest_only` mode, **SUGGEST** ("mode suggest_only: an agent sends every reply",
///    plus out-of-scope and missing-variable notes for the agent).
/// 3. Else (auto mode) **AUTO_SEND** when the message is in scope, its confidence is at least the
///    intent's threshold and no template variable is missing; otherwise **SUGGEST** with every
///    reason that blocked it ("out of scope: no intent to answer", "confidence 0.71 is below the
///    threshold 0.85 for order_status", "missing variable order_id").
public enum DecisionEngine {
    public static func decide(
        analysis: Analysis, priority: PriorityAssessment, policy: TenantPolicy, missingVariables: [String]
    ) -> DecisionOutcome {
        let human = humanReasons(analysis: analysis, priority: priority, policy: policy)
        if !human.isEmpty { return DecisionOutcome(decision: .escalate, reasons: human) }

        let intent = analysis.intent.intent
        let outOfScope = analysis.intent.isOutOfScope || intent == "other"
        let missing = missingVariables.map { "missing variable \($0)" }
        switch policy.mode {
        case .suggestOnly:
            let notes = (outOfScope ? [ReasonText.outOfScope] : []) + missing
            return DecisionOutcome(decision: .suggest, reasons: ["mode suggest_only: an agent sends every reply"] + notes)
        case .auto:
            let confidence = Double(analysis.intent.confidence)
            let threshold = policy.threshold(for: intent)
            let (shownConfidence, shownThreshold) = ReasonText.scores(confidence, threshold)
            var blockers: [String] = []
            if outOfScope {
                blockers.append(ReasonText.outOfScope)
            } else if !(confidence >= threshold) {
                blockers.append("confidence \(shownConfidence) is below the threshold \(shownThreshold) for \(intent)")
            }
            blockers += missing
            if !blockers.isEmpty { return DecisionOutcome(decision: .suggest, reasons: blockers) }
            return DecisionOutcome(
                decision: .autoSend,
                reasons: [
                    "auto mode: confidence \(shownConfidence) clears \(shownThreshold) for \(intent)"
                        + " and every variable is present"
                ])
        }
    }

    /// Everything in the message that, under `policy`, calls for a person.
    static func humanReasons(analysis: Analysis, priority: PriorityAssessment, policy: TenantPolicy) -> [String] {
        var reasons: [String] = []
        let intent = analysis.intent.intent
        if policy.alwaysHuman.contains(intent) { reasons.append("intent \(intent) always goes to a human") }
        for hit in ReasonText.distinct(analysis.risks) {
            if hit.category.isThreat ? policy.escalateOnThreats : policy.escalateOnRiskTerms {
                reasons.append(ReasonText.term(hit))
            }
        }
        if policy.escalateOnAnger {
            if let threshold = policy.angerThreshold {
                if analysis.tone >= threshold {
                    let (tone, limit) = ReasonText.scores(analysis.tone, threshold)
                    reasons.append("angry tone \(tone) reaches the anger threshold \(limit)")
                }
            } else if analysis.negativeTone {
                reasons.append(ReasonText.angryTone(analysis.tone))
            }
        }
        if let level = policy.escalateAtPriority, priority.priority >= level {
            let why = priority.reasons.first.map { " (\($0))" } ?? ""
            reasons.append("priority \(priority.priority) is at or above escalate_at_priority \(level)\(why)")
        }
        return reasons
    }
}
