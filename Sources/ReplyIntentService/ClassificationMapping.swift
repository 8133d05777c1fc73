internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy

/// Turns an analysis into the `Classification` message.
enum ClassificationMapping {
    static func classification(
        of message: BuyerMessage, analysis: Analysis, assessment: PriorityAssessment, snapshot: ModelSnapshot
    ) -> Classification {
        // One initializer call: assigning field by field copies the (large) struct around.
        Classification(
            messageID: message.messageID, conversationID: message.conversationID, intent: analysis.intent.intent,
            confidence: analysis.intent.confidence, outOfScope: analysis.intent.isOutOfScope,
            rankedIntents: analysis.intent.top.map { IntentScore(intent: $0.label, confidence: $0.confidence) },
            language: DetectedLanguage(code: analysis.language.code, confidence: Float(analysis.language.confidence)),
            toneScore: Float(analysis.tone), angry: analysis.negativeTone,
            riskHits: analysis.risks.isEmpty
                ? []
                : analysis.risks.map { ProtoRiskHit(term: $0.term, category: $0.category.rawValue, language: $0.language) },
            priority: priority(assessment.priority), priorityReasons: assessment.reasons,
            model: ModelRef(tenant: snapshot.key.tenant, name: snapshot.key.name, version: snapshot.version))
    }

    static func priority(_ priority: Priority) -> Classification.Priority {
        Classification.Priority(rawValue: Int32(priority.rawValue))
    }
}
