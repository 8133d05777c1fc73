/// What a tenant lets the service do with its messages (`<tenants_dir>/<tenant>/policy.yaml`).
/// Every field has a default; ``TenantPolicy/default`` is the policy of a tenant without a file.
public struct TenantPolicy: Sendable, Equatable {
    /// `suggest_only` (an agent sends every reply) or `auto` (confident, safe replies may be sent).
    public var mode: PolicyMode = .suggestOnly
    /// Reply language when the buyer's has no template (then English).
    public var defaultLanguage = "en"
    /// The tenant's default model name.
    public var model = "default"
    /// Confidence an intent needs for AUTO_SEND, unless ``intentThresholds`` names it.
    public var confidenceThreshold = 0.85
    /// Per-intent AUTO_SEND thresholds.
    public var intentThresholds: [String: Double] = [:]
    /// Intents that always go to a human (ESCALATE).
    public var alwaysHuman: Set<String> = ["complaint", "human_agent"]
    /// Escalate angry messages.
    public var escalateOnAnger = true
    /// Tone at or above which a message is angry; nil = the model's threshold (`Analysis.negativeTone`).
    public var angerThreshold: Double? = nil
    /// Escalate messages with `threat.*` terms.
    public var escalateOnThreats = true
    /// Escalate messages with `risk.*` terms (scam, fraud, fake, counterfeit).
    public var escalateOnRiskTerms = true
    /// Messages at or above this priority raise an alert.
    public var alertMinPriority: Priority = .high
    /// Messages at or above this priority always go to a human; nil (the default) = priority alone
    /// never escalates.
    public var escalateAtPriority: Priority? = nil

    public init() {}

    public static let `default` = TenantPolicy()

    /// The AUTO_SEND confidence threshold for `intent`.
    public func threshold(for intent: String) -> Double {
        intentThresholds[intent] ?? confidenceThreshold
    }
}

public enum PolicyMode: String, Sendable, CaseIterable {
    case suggestOnly = "suggest_only"
    case auto
}
