import Foundation
import Testing
import Policy
import Replies

@Suite struct TenantPolicyTests {
    @Test func defaultsMatchTheContract() {
        let policy = TenantPolicy.default
        #expect(policy.mode == .suggestOnly)
        #expect(policy.defaultLanguage == "en")
        #expect(policy.model == "default")
        #expect(policy.confidenceThreshold == 0.85)
        #expect(policy.intentThresholds.isEmpty)
        #expect(policy.alwaysHuman == ["complaint", "human_agent"])
        #expect(policy.escalateOnAnger && policy.escalateOnThreats && policy.escalateOnRiskTerms)
        #expect(policy.angerThreshold == nil)
        #expect(policy.alertMinPriority == .high)
        #expect(policy.escalateAtPriority == nil)
        #expect(PolicyMode.suggestOnly.rawValue == "suggest_only")
    }

    @Test(arguments: ["", "# only a comment\n", "~\n"])
    func anEmptyFileIsTheDefault(yaml: String) throws {
        #expect(try TenantPolicy.parse(yaml: yaml) == .default)
    }

    @Test func parsesEveryKey() throws {
        let policy = try TenantPolicy.parse(
            yaml: """
                mode: auto
                default_language: es
                model: shop-v2
                confidence_threshold: 0.9
                intent_thresholds:
                  order_status: 0.8
                  greeting: 0.5
                always_human: [complaint, refund_request]
                escalate_on_anger: false
                anger_threshold: 0.7
                escalate_on_threats: false
                escalate_on_risk_terms: no
                alert_min_priority: urgent
                escalate_at_priority: high
                """)
        var expected = TenantPolicy()
        expected.mode = .auto
        expected.defaultLanguage = "es"
        expected.model = "shop-v2"
        expected.confidenceThreshold = 0.9
        expected.intentThresholds = ["order_status": 0.8, "greeting": 0.5]
        expected.alwaysHuman = ["complaint", "refund_request"]
        expected.escalateOnAnger = false
        expected.angerThreshold = 0.7
        expected.escalateOnThreats = false
        expected.escalateOnRiskTerms = false
        expected.alertMinPriority = .urgent
        expected.escalateAtPriority = .high
        #expect(policy == expected)
        #expect(policy.threshold(for: "order_status") == 0.8)
        #expect(policy.threshold(for: "invoice") == 0.9)
    }

    @Test func nullsAndEmptyListsClearOptionalKeys() throws {
        let policy = try TenantPolicy.parse(yaml: "always_human: []\nanger_threshold: null\nescalate_at_priority: ~\nintent_thresholds: {}\n")
        #expect(policy.alwaysHuman.isEmpty)
        #expect(policy.angerThreshold == nil)
        #expect(policy.escalateAtPriority == nil)
        #expect(try TenantPolicy.parse(yaml: "always_human:\n").alwaysHuman.isEmpty)
    }

    @Test func thresholdBoundsAreInclusive() throws {
        #expect(try TenantPolicy.parse(yaml: "confidence_threshold: 0").confidenceThreshold == 0)
        #expect(try TenantPolicy.parse(yaml: "confidence_threshold: 1").confidenceThreshold == 1)
    }

    /// (yaml, line, key, text in the problem)
    static let invalid: [(String, Int?, String?, String)] = [
        ("mode: automatic\n", 1, "mode", "expected suggest_only or auto, got 'automatic'"),
        ("mode: [auto]\n", 1, "mode", "expected a text value"),
        ("default_language: xx\n", 1, "default_language", "unknown language 'xx'"),
        ("model: ../evil\n", 1, "model", "is not a model name"),
        ("model: Big\n", 1, "model", "is not a model name"),
        ("confidence_threshold: 1.5\n", 1, "confidence_threshold", "expected a number between 0 and 1, got '1.5'"),
        ("confidence_threshold: -0.1\n", 1, "confidence_threshold", "between 0 and 1"),
        ("confidence_threshold: high\n", 1, "confidence_threshold", "between 0 and 1, got 'high'"),
        ("confidence_threshold: .nan\n", 1, "confidence_threshold", "between 0 and 1"),
        ("confidence_threshold:\n", 1, "confidence_threshold", "got nothing"),
        ("intent_thresholds: 0.9\n", 1, "intent_thresholds", "expected a mapping of intent to threshold"),
        ("intent_thresholds:\n  order_stats: 0.9\n", 2, "intent_thresholds.order_stats", "unknown intent 'order_stats'"),
        ("intent_thresholds:\n  order_status: 2\n", 2, "intent_thresholds.order_status", "between 0 and 1, got '2'"),
        ("always_human: complaint\n", 1, "always_human", "expected a list of intents"),
        ("always_human: [complaint, angry]\n", 1, "always_human[1]", "unknown intent 'angry'"),
        ("escalate_on_anger: sometimes\n", 1, "escalate_on_anger", "expected true or false, got 'sometimes'"),
        ("escalate_on_threats: 2\n", 1, "escalate_on_threats", "expected true or false"),
        ("escalate_on_risk_terms: {}\n", 1, "escalate_on_risk_terms", "expected true or false, got a mapping"),
        ("anger_threshold: 7\n", 1, "anger_threshold", "between 0 and 1"),
        ("alert_min_priority: critical\n", 1, "alert_min_priority", "expected low, normal, high or urgent, got 'critical'"),
        ("escalate_at_priority: High\n", 1, "escalate_at_priority", "expected low, normal, high or urgent"),
        ("mode: auto\nconfidence: 0.9\n", 2, "confidence", "unknown key (expected one of: mode, "),
        ("mode: auto\nmode: suggest_only\n", nil, nil, "mode"),
        ("- mode\n", 1, nil, "top level must be a mapping"),
        ("mode: [\n", nil, nil, "not valid YAML"),
    ]

    @Test(arguments: invalid)
    func invalidValuesNameTheKey(yaml: String, line: Int?, key: String?, text: String) {
        do {
            let policy = try TenantPolicy.parse(yaml: yaml)
            Issue.record("parsed \(yaml) as \(policy)")
        } catch {
            #expect(error.description.contains(text), "\(error)")
            if let line { #expect(error.line == line, "\(error)") }
            if let key { #expect(error.key == key, "\(error)") }
        }
    }

    @Test func everyIntentLabelIsAccepted() throws {
        #expect(ReplyCatalog.intentSet.count == 23)
        let yaml = "always_human: [\(ReplyCatalog.intentSet.sorted().joined(separator: ", "))]\n"
        #expect(try TenantPolicy.parse(yaml: yaml).alwaysHuman == ReplyCatalog.intentSet)
        #expect(ReplyCatalog.languageSet.count == 18)
        for language in ReplyCatalog.languageSet {
            #expect(try TenantPolicy.parse(yaml: "default_language: \(language)").defaultLanguage == language)
        }
    }

    @Test func loadNamesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("policy.yaml").path
        try "mode: auto\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try TenantPolicy.load(path: path).mode == .auto)
        try "mode: auto\nconfidence_threshold: 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try TenantPolicy.load(path: path)
            Issue.record("loaded a bad policy")
        } catch {
            #expect(error.description.hasPrefix("\(path): line 2: confidence_threshold: expected a number between 0 and 1"))
        }
        do {
            _ = try TenantPolicy.load(path: path + ".missing")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.contains("cannot read the policy file"))
        }
    }
}
