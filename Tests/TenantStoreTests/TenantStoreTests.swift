import Foundation
import Logging
import Policy
import Replies
import TenantStore
import Tenancy
import Testing

/// TenantStore: per-tenant policy + templates from disk, reloaded (by the coordinator) when files
/// change; broken files keep the previous snapshot and are listed.
@Suite struct TenantStoreTests {
    let root = NSTemporaryDirectory() + "replyintent-tenants-\(UUID().uuidString)"
    var tenants: String { root + "/tenants" }
    static let templates = Fixtures.templates

    func directory() throws -> TenantView {
        TenantView(try Fixtures.coordinator(tenants: tenants))
    }

    func write(_ text: String, _ path: String) throws {
        try Fixtures.write(text, to: tenants + "/" + path)
    }

    let acme = TenantID("acme")!

    @Test func aTenantWithoutADirectoryGetsTheDefaults() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = try directory()
        let config = directory.config(for: acme)
        #expect(config === directory.defaultConfig)
        #expect(config.policy == .default)
        #expect(config.composer.select(intent: "greeting", buyerLanguage: "fr", tenantDefaultLanguage: "en")?.template.id
            == "default/fr/greeting")
        #expect(directory.problems().isEmpty)
    }

    @Test func policyAndTemplatesAreLoadedFromTheTenantsDirectory() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("mode: auto\ndefault_language: de\n", "acme/policy.yaml")
        try write("language: fr\ntemplates:\n  greeting: \"Salut de Acme\"\n", "acme/templates/fr.yaml")
        let directory = try directory()
        let config = directory.config(for: acme)
        #expect(config.policy.mode == .auto)
        #expect(config.policy.defaultLanguage == "de")
        let reply = config.composer.compose(
            intent: "greeting", buyerLanguage: "fr", tenantDefaultLanguage: "de", variables: [:])
        #expect(reply?.text == "Salut de Acme")
        #expect(reply?.templateID == "acme/fr/greeting")
        // Intents the tenant did not override still come from the bundled set.
        #expect(config.composer.compose(intent: "thanks_goodbye", buyerLanguage: "fr", tenantDefaultLanguage: "de", variables: [:])?
            .templateID == "default/fr/thanks_goodbye")
    }

    @Test func reloadPicksUpChangesAndSkipsUnchangedTenants() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("mode: auto\n", "acme/policy.yaml")
        let directory = try directory()
        #expect(directory.config(for: acme).policy.mode == .auto)
        #expect(directory.reload().isEmpty)
        try write("mode: suggest_only\nalert_min_priority: urgent\n", "acme/policy.yaml")
        let changes = directory.reload()
        #expect(changes.count == 1)
        #expect(changes.first?.contains("acme") == true)
        #expect(directory.config(for: acme).policy.mode == .suggestOnly)
        #expect(directory.config(for: acme).policy.alertMinPriority == .urgent)
        // A tenant directory that appears later is loaded by the next reload.
        try write("default_language: ja\n", "newshop/policy.yaml")
        #expect(directory.reload().contains { $0.contains("newshop") })
        #expect(directory.config(for: TenantID("newshop")!).policy.defaultLanguage == "ja")
    }

    @Test func aBrokenFileKeepsThePreviousConfigAndIsListed() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("mode: auto\n", "acme/policy.yaml")
        let directory = try directory()
        let before = directory.config(for: acme)
        try write("mode: sometimes\n", "acme/policy.yaml")
        let changes = directory.reload()
        #expect(changes.first?.contains("kept") == true)
        #expect(directory.config(for: acme) === before)
        let problem = try #require(directory.problems().first)
        #expect(problem.tenant == "acme")
        #expect(problem.message.contains("policy.yaml"))
        #expect(problem.message.contains("mode"))
        // A broken template is a problem too.
        try write("mode: auto\n", "acme/policy.yaml")
        try write("language: fr\ntemplates:\n  no_such_intent: \"x\"\n", "acme/templates/fr.yaml")
        directory.reload()
        #expect(directory.config(for: acme) === before)
        #expect(directory.problems().first?.message.contains("fr.yaml") == true)
        // Fixing it clears the problem.
        try FileManager.default.removeItem(atPath: tenants + "/acme/templates/fr.yaml")
        directory.reload()
        #expect(directory.problems().isEmpty)
        #expect(directory.config(for: acme) !== before)
        #expect(directory.config(for: acme).policy.mode == .auto)
    }

    @Test func aTenantWhoseFirstPolicyIsBrokenGetsTheDefaults() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("confidence_threshold: 7\n", "acme/policy.yaml")
        let directory = try directory()
        #expect(directory.config(for: acme) === directory.defaultConfig)
        #expect(directory.problems().map(\.tenant) == ["acme"])
    }

    @Test func writersTemporaryFilesAreIgnored() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("language: fr\ntemplates:\n  greeting: \"Salut\"\n", "acme/templates/fr.yaml")
        let directory = try directory()
        _ = directory.config(for: acme)
        try write("garbage: [", "acme/templates/.fr.yaml.swp")
        try write("garbage: [", "acme/templates/fr.yaml.tmp")
        #expect(directory.reload().isEmpty)
        #expect(directory.problems().isEmpty)
    }

    @Test func theServerWithoutATenantsDirectoryUsesTheDefaults() throws {
        let directory = TenantView(try Fixtures.coordinator(tenants: nil))
        #expect(directory.config(for: acme) === directory.defaultConfig)
        #expect(directory.reload().isEmpty)
    }

    @Test func brokenBundledTemplatesAreAStartupError() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Fixtures.write("language: en\ntemplates:\n  nope: \"x\"\n", to: root + "/bundled/en.yaml")
        #expect(throws: (any Error).self) {
            try Fixtures.coordinator(tenants: nil, templates: root + "/bundled")
        }
    }
}
