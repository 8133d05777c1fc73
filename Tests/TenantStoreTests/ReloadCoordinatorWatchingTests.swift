import Foundation
import ModelCache
import Policy
import Replies
import Tenancy
import TenantStore
import Testing

/// The coordinator's thread: inotify events and the periodic scan run the reload procedure.
@Suite struct ReloadCoordinatorWatchingTests {
    private func eventually(_ condition: () -> Bool) -> Bool { Fixtures.eventually(condition) }

    @Test func writeThenRenameIsNoticedWithoutAReloadCall() throws {
        let sandbox = try TenantSandbox()
        try sandbox.install("acme", version: "acme-1")
        // The periodic scan is an hour away: only inotify can notice these changes.
        let coordinator = try sandbox.coordinator()
        coordinator.start()
        defer { coordinator.stop() }
        let cache = coordinator.models
        let store = coordinator.store
        func version(_ tenant: String) -> String? {
            guard let id = TenantID(tenant) else { return cache.snapshot(tenant: "", name: "default", permit: .testThread)?.version }
            return store.snapshot(for: id).modelVersions["default"]
        }

        try sandbox.install("acme", version: "acme-2")
        #expect(eventually { version("acme") == Fixtures.expectedVersion("acme-2") })

        // A corrupt replacement is noticed, reported, and does not replace the good one.
        try sandbox.write(Fixtures.bytes(version: "acme-3").map { $0 ^ 0x01 }, to: sandbox.modelPath("acme"))
        #expect(eventually { cache.statuses().first { $0.key.tenant == "acme" }?.lastError != nil })
        #expect(version("acme") == Fixtures.expectedVersion("acme-2"))

        // A tenant directory made after watching started is watched too.
        try sandbox.install("newco", version: "newco-1")
        #expect(eventually { version("newco") == Fixtures.expectedVersion("newco-1") })
        try sandbox.install("newco", version: "newco-2")
        #expect(eventually { version("newco") == Fixtures.expectedVersion("newco-2") })

        // Policy and templates are watched as well.
        try sandbox.write("mode: auto\n", "newco/policy.yaml")
        #expect(eventually { store.snapshot(for: TenantID("newco")!).policy.mode == .auto })
        try sandbox.write("language: fr\ntemplates:\n  greeting: \"Salut de Newco\"\n", "newco/templates/fr.yaml")
        #expect(eventually {
            store.snapshot(for: TenantID("newco")!).composer.compose(
                intent: "greeting", buyerLanguage: "fr", tenantDefaultLanguage: "en", variables: [:])?.text == "Salut de Newco"
        })

        // Removal falls back to the shared default; so does removing the tenant directory.
        try sandbox.remove("acme")
        #expect(eventually { cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault && version("acme") == nil })
        try FileManager.default.removeItem(atPath: sandbox.tenants + "/newco")
        #expect(eventually { cache.snapshot(tenant: "newco", name: "default", permit: .testThread)?.key == .sharedDefault })
        #expect(eventually { store.snapshot(for: TenantID("newco")!) === store.defaultSnapshot })

        // The shared default's own file is watched.
        try sandbox.write(Fixtures.bytes(version: "shared-2"), to: sandbox.sharedModel)
        #expect(eventually { version("") == Fixtures.expectedVersion("shared-2") })
    }

    @Test func thePeriodicScanNoticesChangesWithoutInotifyEvents() throws {
        let sandbox = try TenantSandbox()
        // No tenants directory yet: nothing to watch, so only the periodic scan can find it.
        try FileManager.default.removeItem(atPath: sandbox.tenants)
        let coordinator = try sandbox.coordinator(scanInterval: .milliseconds(200))
        coordinator.start()
        coordinator.start()  // idempotent
        try sandbox.install("acme", version: "acme-1")
        let acme = TenantID("acme")!
        #expect(eventually { coordinator.store.snapshot(for: acme).modelVersions["default"] == Fixtures.expectedVersion("acme-1") })
        coordinator.stop()
        coordinator.stop()  // idempotent

        // Stopped: changes are no longer picked up by themselves, only by a reload.
        try sandbox.install("acme", version: "acme-2")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(coordinator.store.snapshot(for: acme).modelVersions["default"] == Fixtures.expectedVersion("acme-1"))
        #expect(coordinator.reload(.adminRequest).count == 1)
    }

    @Test func aStoreNotificationRunsTheProcedureOnTheThread() throws {
        let sandbox = try TenantSandbox()
        let coordinator = try sandbox.coordinator()
        coordinator.start()
        defer { coordinator.stop() }
        let before = coordinator.completedReloads
        coordinator.trigger(.storeNotification)
        #expect(eventually { coordinator.completedReloads == before + 1 })
        // Without the thread, a trigger runs the procedure on the caller's thread.
        coordinator.stop()
        coordinator.trigger(.storeNotification)
        #expect(coordinator.completedReloads == before + 2)
    }
}
