import Foundation
internal import Replies
internal import Yams

/// policy.yaml: every key optional, snake_case, unknown keys are errors:
///
/// ```yaml
/// mode: auto                       # suggest_only (default) | auto
/// default_language: es             # one of the 18 reply languages
/// model: default                   # the tenant's default model name
/// confidence_threshold: 0.85       # 0...1
/// intent_thresholds: {order_status: 0.9, greeting: 0.6}
/// always_human: [complaint, human_agent, refund_request]   # [] = none
/// escalate_on_anger: true
/// anger_threshold: 0.7             # 0...1, or null = the model's threshold
/// escalate_on_threats: true
/// escalate_on_risk_terms: true
/// alert_min_priority: high         # low | normal | high | urgent
/// escalate_at_priority: urgent     # low | normal | high | urgent, or null (default) = off
/// ```
extension TenantPolicy {
    /// Every key policy.yaml may contain.
    public static let keys = [
        "mode", "default_language", "model", "confidence_threshold", "intent_thresholds", "always_human",
        "escalate_on_anger", "anger_threshold", "escalate_on_threats", "escalate_on_risk_terms", "alert_min_priority",
        "escalate_at_priority",
    ]

    public static func load(path: String) throws(PolicyFileError) -> TenantPolicy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PolicyFileError(path: path, problem: "cannot read the policy file: \(error.localizedDescription)")
        }
        do {
            return try parse(yaml: text)
        } catch {
            var located = error
            located.path = path
            throw located
        }
    }

    public static func parse(yaml: String) throws(PolicyFileError) -> TenantPolicy {
        var policy = TenantPolicy()
        for (key, value, line) in try PolicyYAML.entries(of: try PolicyYAML.rootMapping(yaml), context: nil) {
            switch key {
            case "mode":
                let text = try PolicyYAML.string(value, key: key)
                guard let mode = PolicyMode(rawValue: text) else {
                    throw PolicyFileError(
                        line: value.mark?.line, key: key, problem: "expected suggest_only or auto, got '\(text.prefix(60))'")
                }
                policy.mode = mode
            case "default_language":
                let text = try PolicyYAML.string(value, key: key)
                guard ReplyCatalog.languageSet.contains(text) else {
                    throw PolicyFileError(
                        line: value.mark?.line, key: key,
                        problem: "unknown language '\(text.prefix(60))' (expected one of: \(sorted(ReplyCatalog.languageSet)))")
                }
                policy.defaultLanguage = text
            case "model":
                let text = try PolicyYAML.string(value, key: key)
                guard isModelName(text) else {
                    throw PolicyFileError(
                        line: value.mark?.line, key: key,
                        problem: "'\(text.prefix(60))' is not a model name: use a-z, 0-9, '_' and '-',"
                            + " starting with a letter or digit, at most 63 characters")
                }
                policy.model = text
            case "confidence_threshold":
                policy.confidenceThreshold = try PolicyYAML.fraction(value, key: key)
            case "intent_thresholds":
                policy.intentThresholds = try intentThresholds(value, key: key)
            case "always_human":
                policy.alwaysHuman = try intentList(value, key: key)
            case "escalate_on_anger":
                policy.escalateOnAnger = try PolicyYAML.bool(value, key: key)
            case "anger_threshold":
                policy.angerThreshold = PolicyYAML.isNull(value) ? nil : try PolicyYAML.fraction(value, key: key)
            case "escalate_on_threats":
                policy.escalateOnThreats = try PolicyYAML.bool(value, key: key)
            case "escalate_on_risk_terms":
                policy.escalateOnRiskTerms = try PolicyYAML.bool(value, key: key)
            case "alert_min_priority":
                policy.alertMinPriority = try priority(value, key: key)
            case "escalate_at_priority":
                policy.escalateAtPriority = PolicyYAML.isNull(value) ? nil : try priority(value, key: key)
            default:
                throw PolicyFileError(
                    line: line, key: key, problem: "unknown key (expected one of: \(keys.joined(separator: ", ")))")
            }
        }
        return policy
    }

    private static func intentThresholds(_ node: Node, key: String) throws(PolicyFileError) -> [String: Double] {
        if PolicyYAML.isNull(node) { return [:] }
        guard let mapping = node.mapping else {
            throw PolicyFileError(
                line: node.mark?.line, key: key, problem: "expected a mapping of intent to threshold, got \(PolicyYAML.shown(node))")
        }
        var thresholds: [String: Double] = [:]
        for (intent, value, line) in try PolicyYAML.entries(of: mapping, context: key) {
            let qualified = PolicyYAML.qualified(intent, in: key)
            try checkIntent(intent, key: qualified, line: line)
            thresholds[intent] = try PolicyYAML.fraction(value, key: qualified)
        }
        return thresholds
    }

    private static func intentList(_ node: Node, key: String) throws(PolicyFileError) -> Set<String> {
        if PolicyYAML.isNull(node) { return [] }
        guard let sequence = node.sequence else {
            throw PolicyFileError(
                line: node.mark?.line, key: key, problem: "expected a list of intents, got \(PolicyYAML.shown(node))")
        }
        var intents = Set<String>()
        for (index, item) in sequence.enumerated() {
            let itemKey = "\(key)[\(index)]"
            let intent = try PolicyYAML.string(item, key: itemKey)
            try checkIntent(intent, key: itemKey, line: item.mark?.line)
            intents.insert(intent)
        }
        return intents
    }

    private static func checkIntent(_ intent: String, key: String, line: Int?) throws(PolicyFileError) {
        guard ReplyCatalog.intentSet.contains(intent) else {
            throw PolicyFileError(
                line: line, key: key,
                problem: "unknown intent '\(intent.prefix(60))' (expected one of: \(sorted(ReplyCatalog.intentSet)))")
        }
    }

    private static func priority(_ node: Node, key: String) throws(PolicyFileError) -> Priority {
        let text = try PolicyYAML.string(node, key: key)
        guard let priority = Priority(name: text) else {
            throw PolicyFileError(
                line: node.mark?.line, key: key, problem: "expected low, normal, high or urgent, got '\(text.prefix(60))'")
        }
        return priority
    }

    private static func isModelName(_ name: String) -> Bool {
        let bytes = name.utf8
        func alnum(_ b: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
        }
        guard let first = bytes.first, bytes.count <= 63, alnum(first) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func sorted(_ set: Set<String>) -> String { set.sorted().joined(separator: ", ") }
}
