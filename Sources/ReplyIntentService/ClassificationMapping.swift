internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy

/// Turns an analysis into the `Classification` message.
enum ClassificationMapping {
    static func classification(
        of message: BuyerMessage, analysis: Analysis, assessment: PriorityAssessment, snapshot: ModelSnapshot
    ) -> Classification {
        var classification = Classification()
        classification.messageID = message.messageID
        classification.conversationID = message.conversationID
        classification.intent = analysis.intent.intent
        classification.confidence = analysis.intent.confidence
        classification.outOfScope = analysis.intent.isOutOfScope
        classification.rankedIntents = analysis.intent.top.map { IntentScore(intent: $0.label, confidence: $0.confidence) }
        classification.language = DetectedLanguage(
            code: analysis.language.code, confidence: Float(analysis.language.confidence))
        classification.toneScore = Float(analysis.tone)
        classification.angry = analysis.negativeTone
        if !analysis.risks.isEmpty {
            classification.riskHits = analysis.risks.map {
                ProtoRiskHit(term: $0.term, category: $0.category.rawValue, language: $0.language)
            }
        }
        classification.priority = priority(assessment.priority)
        classification.priorityReasons = assessment.reasons
        classification.model = ModelRef(tenant: snapshot.key.tenant, name: snapshot.key.name, version: snapshot.version)
        return classification
    }

    static func priority(_ priority: Priority) -> Classification.Priority {
        Classification.Priority(rawValue: Int32(priority.rawValue))
    }
}
