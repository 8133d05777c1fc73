import Classifier
import Dispatch
import Foundation
import Posix
import Synchronization
import Testing

@testable import ModelCache

extension ModelCacheTests {
    /// `lookup` (for event loops) never loads or waits; the `async` and callback snapshots load
    /// an evicted model without blocking their caller, single-flight.
    @Suite struct Lookup {
        /// Room for the shared default plus one tenant model: of tenants a and b, a is evicted.
        private func cacheWithEvictedModel(logger: LogRecorder) throws -> (Sandbox, ModelCache) {
            let sandbox = try Sandbox()
            for tenant in ["a", "b"] { try sandbox.install(tenant, version: "\(tenant)-1") }
            let cache = try sandbox.makeCache(budget: Fixtures.bytes(version: "a-1").count * 5 / 2, logger: logger.logger)
            #expect(state(cache, "a") == .evicted)
            return (sandbox, cache)
        }

        private func state(_ cache: ModelCache, _ tenant: String) -> ModelStatus.State? {
            cache.statuses().first { $0.key.tenant == tenant }?.state
        }

        private func describe(_ lookup: ModelLookup) -> String {
            switch lookup {
            case .ready(let snapshot): "ready \(snapshot.key) \(snapshot.version)"
            case .mustLoad: "mustLoad"
            case .absent: "absent"
            }
        }

        private func reloads(_ recorder: LogRecorder, _ tenant: String) -> Int {
            recorder.all.filter { $0.hasPrefix("info reloaded \(tenant)/default ") }.count
        }

        @Test func lookupNeverLoadsAnEvictedModel() throws {
            let recorder = LogRecorder()
            let (sandbox, cache) = try cacheWithEvictedModel(logger: recorder)
            defer { withExtendedLifetime(sandbox) {} }  // its files outlive every load
            for _ in 0..<3 { #expect(describe(cache.lookup(tenant: "a", name: "default")) == "mustLoad") }
            #expect(state(cache, "a") == .evicted)
            #expect(reloads(recorder, "a") == 0)

            let shared = "ready default \(Fixtures.expectedVersion(Sandbox.sharedVersion))"
            #expect(describe(cache.lookup(tenant: "nobody", name: "default")) == shared)
            #expect(describe(cache.lookup(tenant: "", name: "default")) == shared)
            #expect(describe(cache.lookup(tenant: "b", name: "default")) == "ready b/default \(Fixtures.expectedVersion("b-1"))")
            #expect(describe(cache.lookup(tenant: "a", name: "support-v2")) == "absent")

            // The blocking snapshot loads it; lookup then serves that very snapshot.
            let loaded = try #require(cache.snapshot(tenant: "a", name: "default", permit: .testThread))
            #expect(reloads(recorder, "a") == 1)
            guard case .ready(let ready) = cache.lookup(tenant: "a", name: "default") else {
                Issue.record("lookup after the load: \(describe(cache.lookup(tenant: "a", name: "default")))")
                return
            }
            #expect(ready === loaded)
            #expect(describe(cache.lookup(tenant: "b", name: "default")) == "mustLoad")  // evicted to make room
        }

        @Test func theAsyncSnapshotLoadsAnEvictedModelThenLookupIsReady() async throws {
            let recorder = LogRecorder()
            let (sandbox, cache) = try cacheWithEvictedModel(logger: recorder)
            defer { withExtendedLifetime(sandbox) {} }  // its files outlive every load
            let loaded = try #require(await cache.snapshot(tenant: "a", name: "default"))
            #expect(loaded.version == Fixtures.expectedVersion("a-1"))
            #expect(describe(cache.lookup(tenant: "a", name: "default")) == "ready a/default \(loaded.version)")
            #expect(reloads(recorder, "a") == 1)
            // In memory: answered at once, nothing loaded.
            #expect(await cache.snapshot(tenant: "a", name: "default") === loaded)
            #expect(await cache.snapshot(tenant: "nobody", name: "default")?.key == .sharedDefault)
            #expect(await cache.snapshot(tenant: "a", name: "support-v2") == nil)
            #expect(reloads(recorder, "a") == 1)
        }

        @Test func manyConcurrentAsyncSnapshotsOfAnEvictedModelShareOneLoad() async throws {
            let recorder = LogRecorder()
            let (sandbox, cache) = try cacheWithEvictedModel(logger: recorder)
            defer { withExtendedLifetime(sandbox) {} }  // its files outlive every load
            let attempts = cache.loadAttempts.load(ordering: .relaxed)
            let snapshots = await withTaskGroup(of: ModelSnapshot?.self) { group in
                for _ in 0..<64 { group.addTask { await cache.snapshot(tenant: "a", name: "default") } }
                var all: [ModelSnapshot?] = []
                for await snapshot in group { all.append(snapshot) }
                return all
            }
            let loaded = snapshots.compactMap { $0 }
            #expect(loaded.count == 64)
            #expect(loaded.allSatisfy { $0 === loaded[0] })
            #expect(loaded.first?.key == ModelKey(tenant: "a", name: "default"))
            #expect(cache.loadAttempts.load(ordering: .relaxed) - attempts == 1)  // the file was read once
            #expect(reloads(recorder, "a") == 1)
        }

        /// While a load is in flight (started here the way a rescan starts one, and finished only
        /// after the check), every waiting task is suspended, not parked on a thread of the
        /// cooperative pool (as few threads as cores): another task still gets to run.
        @Test func waitingForALoadHoldsNoThreadOfTheCooperativePool() throws {
            let recorder = LogRecorder()
            let (sandbox, cache) = try cacheWithEvictedModel(logger: recorder)
            defer { withExtendedLifetime(sandbox) {} }
            let key = ModelKey(tenant: "a", name: "default")
            let inFlight = PendingLoad()
            let path = try #require(cache.shard("a").entries.withLock { entries -> String? in
                entries[key]?.pending = inFlight
                return entries[key]?.path
            })

            let waiters = 4 * System.coreCount + 4
            let results = Mutex<[ModelSnapshot?]>([])
            let finished = DispatchSemaphore(value: 0)
            for _ in 0..<waiters {
                Task { @Sendable in
                    let snapshot = await cache.snapshot(tenant: "a", name: "default")
                    results.withLock { $0.append(snapshot) }
                    finished.signal()
                }
            }
            let probe = DispatchSemaphore(value: 0)
            Task { probe.signal() }
            let probeRan = probe.wait(timeout: .now() + 20) == .success
            #expect(probeRan, "a task could not run while others waited for a model load")
            #expect(results.withLock { $0.count } == 0)  // nobody got an answer before the load

            cache.apply(key: key, path: path, outcome: cache.loadFile(key, path: path), pending: inFlight, lazy: true)
            for _ in 0..<waiters { _ = finished.wait(timeout: .now() + 30) }
            let loaded = results.withLock { $0 }.compactMap { $0 }
            #expect(loaded.count == waiters)
            #expect(loaded.allSatisfy { $0 === loaded.first })
            #expect(loaded.first?.key == key)
            #expect(reloads(recorder, "a") == 1)
        }

        @Test func theCallbackSnapshotAnswersAtOnceWhenTheModelIsInMemory() throws {
            let recorder = LogRecorder()
            let (sandbox, cache) = try cacheWithEvictedModel(logger: recorder)
            defer { withExtendedLifetime(sandbox) {} }  // its files outlive every load
            let answered = Mutex<ModelSnapshot?>(nil)
            cache.snapshot(tenant: "b", name: "default") { snapshot in answered.withLock { $0 = snapshot } }
            #expect(answered.withLock { $0 }?.key == ModelKey(tenant: "b", name: "default"))

            let done = DispatchSemaphore(value: 0)
            cache.snapshot(tenant: "a", name: "default") { snapshot in
                answered.withLock { $0 = snapshot }
                done.signal()
            }
            #expect(done.wait(timeout: .now() + 30) == .success)
            #expect(answered.withLock { $0 }?.version == Fixtures.expectedVersion("a-1"))
        }
    }
}
