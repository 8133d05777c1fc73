import Classifier
import Foundation
import ModelCache
import Testing

extension ModelCacheTests {
    @Suite struct Watching {
        /// Polls `condition` until it holds or a generous deadline passes (a broken watcher fails
        /// the test instead of hanging it; nothing here measures time).
        private func eventually(_ condition: () -> Bool) -> Bool {
            for _ in 0..<400 {
                if condition() { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return condition()
        }

        @Test func writeThenRenameIsNoticedWithoutARescan() throws {
            let sandbox = try Sandbox()
            try sandbox.install("acme", version: "acme-1")
            // The periodic scan is an hour away: only inotify can notice these changes.
            let cache = try sandbox.makeCache()
            cache.startWatching()
            defer { cache.stopWatching() }
            func version(_ tenant: String) -> String? { cache.snapshot(tenant: tenant, name: "default", permit: .testThread)?.version }

            try sandbox.install("acme", version: "acme-2")
            #expect(eventually { version("acme") == Fixtures.expectedVersion("acme-2") })

            // A corrupt replacement is noticed, reported, and does not replace the good one.
            try sandbox.write(Fixtures.corrupted(Fixtures.bytes(version: "acme-3")), to: sandbox.modelPath("acme"))
            #expect(eventually { cache.statuses().first { $0.key.tenant == "acme" }?.lastError != nil })
            #expect(version("acme") == Fixtures.expectedVersion("acme-2"))

            // A tenant directory made after watching started is watched too.
            try sandbox.install("newco", version: "newco-1")
            #expect(eventually { version("newco") == Fixtures.expectedVersion("newco-1") })
            try sandbox.install("newco", version: "newco-2")
            #expect(eventually { version("newco") == Fixtures.expectedVersion("newco-2") })

            // Removal falls back to the shared default; so does removing the tenant directory.
            try sandbox.remove("acme")
            #expect(eventually { cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault })
            try FileManager.default.removeItem(atPath: sandbox.tenants + "/newco")
            #expect(eventually { cache.snapshot(tenant: "newco", name: "default", permit: .testThread)?.key == .sharedDefault })

            // The shared default's own file is watched.
            try sandbox.write(Fixtures.bytes(version: "shared-2"), to: sandbox.defaultPath)
            #expect(eventually { version("") == Fixtures.expectedVersion("shared-2") })
        }

        @Test func thePeriodicScanNoticesChangesWithoutInotifyEvents() throws {
            let sandbox = try Sandbox()
            // No tenants directory yet: nothing to watch, so only the periodic scan can find it.
            try FileManager.default.removeItem(atPath: sandbox.tenants)
            let cache = try ModelCache(
                configuration: sandbox.configuration(scanInterval: .milliseconds(200)), logger: Fixtures.quietLogger)
            cache.startWatching()
            cache.startWatching()  // idempotent
            try sandbox.install("acme", version: "acme-1")
            #expect(eventually { cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == Fixtures.expectedVersion("acme-1") })
            cache.stopWatching()
            cache.stopWatching()  // idempotent

            // Stopped: changes are no longer picked up by themselves, only by rescan().
            try sandbox.install("acme", version: "acme-2")
            Thread.sleep(forTimeInterval: 0.5)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == Fixtures.expectedVersion("acme-1"))
            #expect(cache.rescan().count == 1)
        }
    }
}
