internal import Classifier
internal import Messages
internal import Policy
internal import Replies

/// The decision for a suggested reply, and the mapping of Policy's and Replies' values to the
/// protobuf enums.
enum ReplyDecision {
    /// DecisionEngine's outcome; when no template exists for the intent in any language (a
    /// tenant model with labels the templates do not cover), the conversation goes to a person.
    static func decide(
        analysis: Analysis, assessment: PriorityAssessment, policy: TenantPolicy, reply: RenderedReply?
    ) -> DecisionOutcome {
        guard let reply else {
            let outcome = DecisionEngine.decide(
                analysis: analysis, priority: assessment, policy: policy, missingVariables: [])
            let reason = "no reply template for intent \(analysis.intent.intent) in any language"
            return DecisionOutcome(
                decision: .escalate, reasons: [reason] + outcome.reasons.filter { $0 != reason })
        }
        return DecisionEngine.decide(
            analysis: analysis, priority: assessment, policy: policy, missingVariables: reply.missingVariables)
    }

    static func decision(_ decision: Decision) -> SuggestReplyResponse.Decision {
        switch decision {
        case .autoSend: .autoSend
        case .suggest: .suggest
        case .escalate: .escalate
        }
    }

    static func languageSource(_ source: ReplyLanguageSource) -> SuggestReplyResponse.LanguageSource {
        switch source {
        case .buyer: .buyer
        case .tenantDefault: .tenantDefault
        case .english: .english
        }
    }
}
