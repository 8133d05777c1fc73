import Foundation
import ModelCache
import Policy
import Replies
import Tenancy
import TenantStore
import Testing

/// A tenant changes all or nothing: policy, templates and models of one reload are seen together,
/// a broken file keeps the whole previous snapshot, and a request holding snapshot N keeps N's model.
@Suite struct TenantSnapshotTests {
    let acme = TenantID("acme")!

    private func greeting(_ snapshot: TenantSnapshot) -> String? {
        snapshot.composer.compose(intent: "greeting", buyerLanguage: "fr", tenantDefaultLanguage: "en", variables: [:])?.text
    }

    @Test func policyTemplatesAndModelOfOneReloadAreSeenTogether() throws {
        let sandbox = try TenantSandbox()
        try sandbox.write("mode: suggest_only\n", "acme/policy.yaml")
        try sandbox.write("language: fr\ntemplates:\n  greeting: \"Salut v1\"\n", "acme/templates/fr.yaml")
        try sandbox.install("acme", version: "acme-1")
        let coordinator = try sandbox.coordinator()
        let store = coordinator.store
        let before = store.snapshot(for: acme)
        #expect(before.policy.mode == .suggestOnly)
        #expect(greeting(before) == "Salut v1")
        #expect(before.modelVersions == ["default": Fixtures.expectedVersion("acme-1")])

        try sandbox.write("mode: auto\n", "acme/policy.yaml")
        try sandbox.write("language: fr\ntemplates:\n  greeting: \"Salut v2\"\n", "acme/templates/fr.yaml")
        try sandbox.install("acme", version: "acme-2")
        let lines = coordinator.reload(.adminRequest)
        #expect(lines.contains("loaded tenant acme configuration: policy.yaml, 1 template file"))
        #expect(lines.contains { $0.hasPrefix("loaded acme/default \(Fixtures.expectedVersion("acme-2"))") })
        let after = store.snapshot(for: acme)
        #expect(after !== before)
        #expect(after.generation > before.generation)
        #expect(after.policy.mode == .auto)
        #expect(greeting(after) == "Salut v2")
        #expect(after.modelVersions == ["default": Fixtures.expectedVersion("acme-2")])
        // The old snapshot is untouched.
        #expect(before.policy.mode == .suggestOnly && greeting(before) == "Salut v1")
    }

    @Test func aRequestThatStartedOnSnapshotNFinishesWithNsModel() throws {
        let sandbox = try TenantSandbox()
        try sandbox.install("acme", version: "acme-1")
        let coordinator = try sandbox.coordinator()
        let cache = coordinator.models
        let held = coordinator.store.snapshot(for: acme)  // a request in flight
        try sandbox.install("acme", version: "acme-2")
        coordinator.reload(.adminRequest)
        let current = coordinator.store.snapshot(for: acme)
        func model(_ snapshot: TenantSnapshot) -> String? {
            guard case .ready(let model) = cache.lookup(tenant: "acme", name: "default", version: snapshot.modelVersions["default"])
            else { return nil }
            return model.version
        }
        #expect(model(held) == Fixtures.expectedVersion("acme-1"))
        #expect(cache.snapshot(tenant: "acme", name: "default", version: held.modelVersions["default"], permit: .testThread)?.version
            == Fixtures.expectedVersion("acme-1"))
        #expect(model(current) == Fixtures.expectedVersion("acme-2"))
        // Unpinned lookups (and the status) see the new version.
        #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == Fixtures.expectedVersion("acme-2"))
        #expect(cache.statuses().first { $0.key.tenant == "acme" }?.version == Fixtures.expectedVersion("acme-2"))
    }

    @Test func aBrokenFileKeepsTheWholePreviousSnapshotModelsIncluded() throws {
        let sandbox = try TenantSandbox()
        try sandbox.write("mode: auto\n", "acme/policy.yaml")
        try sandbox.install("acme", version: "acme-1")
        let coordinator = try sandbox.coordinator()
        let before = coordinator.store.snapshot(for: acme)

        // A new model and templates arrive with a broken policy: none of it is used.
        try sandbox.write("mode: sometimes\n", "acme/policy.yaml")
        try sandbox.write("language: fr\ntemplates:\n  greeting: \"Salut v2\"\n", "acme/templates/fr.yaml")
        try sandbox.install("acme", version: "acme-2")
        let lines = coordinator.reload(.adminRequest)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("kept tenant acme configuration: ") == true)
        #expect(lines.first?.contains("policy.yaml") == true)
        #expect(coordinator.store.snapshot(for: acme) === before)
        #expect(coordinator.models.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == Fixtures.expectedVersion("acme-1"))
        #expect(coordinator.store.problems().map(\.tenant) == ["acme"])
        // Still broken: nothing is read again, nothing changes.
        #expect(coordinator.reload(.adminRequest).isEmpty)

        // Fixed: policy, templates and model arrive together.
        try sandbox.write("mode: suggest_only\n", "acme/policy.yaml")
        #expect(coordinator.reload(.adminRequest).count == 2)
        let after = coordinator.store.snapshot(for: acme)
        #expect(after.policy.mode == .suggestOnly)
        #expect(greeting(after) == "Salut v2")
        #expect(after.modelVersions["default"] == Fixtures.expectedVersion("acme-2"))
        #expect(coordinator.store.problems().isEmpty)
    }

    @Test func aBrokenModelFileKeepsThatModelsVersionOnly() throws {
        let sandbox = try TenantSandbox()
        try sandbox.install("acme", version: "acme-1")
        let coordinator = try sandbox.coordinator()
        try sandbox.write("mode: auto\n", "acme/policy.yaml")
        try sandbox.write(Array(Fixtures.bytes(version: "acme-2").prefix(1000)), to: sandbox.modelPath("acme"))
        let lines = coordinator.reload(.adminRequest)
        #expect(lines.contains { $0.hasPrefix("kept acme/default \(Fixtures.expectedVersion("acme-1")): ") })
        let after = coordinator.store.snapshot(for: acme)
        #expect(after.policy.mode == .auto)
        #expect(after.modelVersions["default"] == Fixtures.expectedVersion("acme-1"))
    }

    /// The hot path reads no file: with every tenant file unreadable after the load, lookups and
    /// admissions still answer from memory.
    @Test func lookupsReadNoFile() throws {
        let sandbox = try TenantSandbox()
        try sandbox.write("mode: auto\n", "acme/policy.yaml")
        try sandbox.write("language: fr\ntemplates:\n  greeting: \"Salut\"\n", "acme/templates/fr.yaml")
        try sandbox.install("acme", version: "acme-1")
        let coordinator = try sandbox.coordinator()
        let manager = FileManager.default
        for path in ["/acme/policy.yaml", "/acme/templates/fr.yaml", "/acme/models/default.rimodel"] {
            try manager.setAttributes([.posixPermissions: 0], ofItemAtPath: sandbox.tenants + path)
        }
        for path in ["/acme/templates", "/acme/models", "/acme", ""] {
            try manager.setAttributes([.posixPermissions: 0], ofItemAtPath: sandbox.tenants + path)
        }
        defer {
            for path in ["", "/acme", "/acme/templates", "/acme/models"] {
                try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sandbox.tenants + path)
            }
        }
        let snapshot = coordinator.store.snapshot(for: acme)
        #expect(snapshot.policy.mode == .auto)
        #expect(greeting(snapshot) == "Salut")
        guard case .success(let admission) = coordinator.store.admit(authorization: nil, certificateSubject: nil) else {
            Issue.record("single-tenant admission failed")
            return
        }
        #expect(admission.tenant === coordinator.store.snapshot(for: .singleTenant))
        guard case .ready(let model) = coordinator.models.lookup(
            tenant: "acme", name: "default", version: snapshot.modelVersions["default"])
        else {
            Issue.record("the model was not in memory")
            return
        }
        #expect(model.version == Fixtures.expectedVersion("acme-1"))
        // A tenant created after the last reload is unknown until the next one: the defaults.
        #expect(coordinator.store.snapshot(for: TenantID("later")!) === coordinator.store.defaultSnapshot)
    }
}
