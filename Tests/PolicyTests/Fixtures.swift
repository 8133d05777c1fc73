import Classifier

/// Analysis values built directly (no model needed).
enum Fixture {
    static func analysis(
        intent: String = "order_status", confidence: Float = 0.97, outOfScope: Bool? = nil, tone: Double = 0.1,
        angry: Bool? = nil, risks: [RiskHit] = []
    ) -> Analysis {
        let isOutOfScope = outOfScope ?? (intent == "other")
        return Analysis(
            intent: IntentPrediction(
                intent: intent, confidence: confidence, margin: 0.5, isOutOfScope: isOutOfScope,
                top: [ScoredIntent(label: intent, confidence: confidence)]),
            language: LanguageGuess(code: "en", confidence: 0.99), unfamiliarLanguage: false, tone: tone,
            negativeTone: angry ?? (tone >= 0.6), risks: risks)
    }

    static func hit(_ term: String, _ category: RiskCategory, at start: Int = 0) -> RiskHit {
        RiskHit(term: term, category: category, language: "en", range: start..<(start + term.unicodeScalars.count))
    }
}
