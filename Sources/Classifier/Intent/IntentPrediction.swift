public struct ScoredIntent: Sendable, Equatable {
    public let label: String
    /// Calibrated probability.
    public let confidence: Float

    public init(label: String, confidence: Float) {
        self.label = label
        self.confidence = confidence
    }
}

/// The answer for one message.
public struct IntentPrediction: Sendable, Equatable {
    /// The decided intent: the top class, or `other` when the message is out of scope.
    public let intent: String
    /// Calibrated probability of the top class (low when the model is unsure).
    public let confidence: Float
    /// Calibrated top-1 minus top-2 probability.
    public let margin: Float
    /// True when the decided intent is `other`: either the top class is `other`, or the
    /// confidence/margin fell below the model's thresholds.
    public let isOutOfScope: Bool
    /// The k most probable classes, best first (before the out-of-scope decision).
    public let top: [ScoredIntent]

    public init(intent: String, confidence: Float, margin: Float, isOutOfScope: Bool, top: [ScoredIntent]) {
        self.intent = intent
        self.confidence = confidence
        self.margin = margin
        self.isOutOfScope = isOutOfScope
        self.top = top
    }
}

/// Per-call scratch space for scoring: reuse one per thread (or make one per call). Scoring
/// with a warm scratch allocates only the returned `IntentPrediction`.
public final class IntentScratch {
    public let features = FeatureScratch()
    var probabilities: [Float] = []

    public init() {}
}
