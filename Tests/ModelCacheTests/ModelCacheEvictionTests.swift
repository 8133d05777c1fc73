import Classifier
import Foundation
import ModelCache
import Synchronization
import Testing

extension ModelCacheTests {
    @Suite struct Eviction {
        /// Room for the shared default plus one tenant model.
        private func smallBudget() -> Int { Fixtures.bytes(version: "a-1").count * 5 / 2 }

        private func state(_ cache: ModelCache, _ tenant: String) -> ModelStatus.State? {
            cache.statuses().first { $0.key.tenant == tenant }?.state
        }

        @Test func leastRecentlyUsedModelsAreEvictedAndLoadAgainOnUse() throws {
            let sandbox = try Sandbox()
            for tenant in ["a", "b", "c"] { try sandbox.install(tenant, version: "\(tenant)-1") }
            let recorder = LogRecorder()
            let budget = smallBudget()
            let cache = try sandbox.makeCache(budget: budget, logger: recorder.logger)
            let shared = Fixtures.bytes(version: Sandbox.sharedVersion).count

            // Loading b evicted a, loading c evicted b: one tenant model fits beside the default.
            #expect(state(cache, "a") == .evicted)
            #expect(state(cache, "b") == .evicted)
            #expect(state(cache, "c") == .loaded)
            #expect(cache.memoryUsedBytes == shared + Fixtures.bytes(version: "c-1").count)
            #expect(cache.memoryUsedBytes <= budget)
            let evictedStatus = try #require(cache.statuses().first { $0.key.tenant == "a" })
            #expect(evictedStatus.version == Fixtures.expectedVersion("a-1"))
            #expect(recorder.all.contains { $0.hasPrefix("info evicted a/default \(Fixtures.expectedVersion("a-1"))") })

            // Using a loads it again (lazily) and evicts c, now the least recently used.
            let a = try #require(cache.snapshot(tenant: "a", name: "default", permit: .testThread))
            #expect(a.key == ModelKey(tenant: "a", name: "default"))
            #expect(a.version == Fixtures.expectedVersion("a-1"))
            #expect(state(cache, "a") == .loaded)
            #expect(state(cache, "c") == .evicted)
            #expect(cache.memoryUsedBytes == shared + Fixtures.bytes(version: "a-1").count)
            #expect(recorder.all.contains { $0.hasPrefix("info reloaded a/default \(Fixtures.expectedVersion("a-1")) after eviction") })
            // The shared default is pinned.
            #expect(cache.statuses().first?.state == .loaded)
            #expect(cache.snapshot(tenant: "", name: "default", permit: .testThread)?.key == .sharedDefault)

            // Serving what is loaded loads nothing.
            #expect(cache.snapshot(tenant: "a", name: "default", permit: .testThread) === a)
        }

        @Test func concurrentUsersOfAnEvictedModelShareOneLoad() throws {
            let sandbox = try Sandbox()
            for tenant in ["a", "b"] { try sandbox.install(tenant, version: "\(tenant)-1") }
            let cache = try sandbox.makeCache(budget: smallBudget())
            #expect(state(cache, "a") == .evicted)

            let results = Mutex<[ModelSnapshot?]>([])
            let done = DispatchSemaphore(value: 0)
            for _ in 0..<3 {
                Thread {
                    let snapshot = cache.snapshot(tenant: "a", name: "default", permit: .testThread)
                    results.withLock { $0.append(snapshot) }
                    done.signal()
                }.start()
            }
            for _ in 0..<3 { done.wait() }
            let snapshots = results.withLock { $0 }.compactMap { $0 }
            #expect(snapshots.count == 3)
            #expect(snapshots.allSatisfy { $0 === snapshots[0] })
            #expect(snapshots.first?.version == Fixtures.expectedVersion("a-1"))
        }

        @Test func anEvictedModelWhoseFileChangedLoadsTheNewFileOrFallsBack() throws {
            let sandbox = try Sandbox()
            for tenant in ["a", "b"] { try sandbox.install(tenant, version: "\(tenant)-1") }
            let cache = try sandbox.makeCache(budget: smallBudget())
            #expect(state(cache, "a") == .evicted)

            // A broken replacement of an evicted model: nothing to keep serving, so it fails over.
            try sandbox.write(Fixtures.corrupted(Fixtures.bytes(version: "a-2")), to: sandbox.modelPath("a"))
            #expect(sandbox.rescan(cache).first?.hasPrefix("failed a/default: checksum mismatch") == true)
            #expect(state(cache, "a") == .failed)
            #expect(cache.snapshot(tenant: "a", name: "default", permit: .testThread)?.key == .sharedDefault)

            try sandbox.install("a", version: "a-2")
            #expect(sandbox.rescan(cache).first?.hasPrefix("loaded a/default \(Fixtures.expectedVersion("a-2"))") == true)
            #expect(cache.snapshot(tenant: "a", name: "default", permit: .testThread)?.version == Fixtures.expectedVersion("a-2"))
            #expect(state(cache, "b") == .evicted)
        }

        @Test func anEvictedModelWhoseFileIsGoneIsForgotten() throws {
            let sandbox = try Sandbox()
            for tenant in ["a", "b"] { try sandbox.install(tenant, version: "\(tenant)-1") }
            let cache = try sandbox.makeCache(budget: smallBudget())
            try sandbox.remove("a")
            #expect(sandbox.rescan(cache) == ["removed a/default (was \(Fixtures.expectedVersion("a-1")))"])
            #expect(cache.snapshot(tenant: "a", name: "default", permit: .testThread)?.key == .sharedDefault)
        }
    }
}
