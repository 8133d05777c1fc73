@testable import InteropService
import Testing

@Suite struct HealthStatusRegistryTests {
    @Test func theServerStartsServingAndOthersAreUnknown() {
        let registry = HealthStatusRegistry()
        #expect(registry.status(for: "") == .serving)
        #expect(registry.status(for: "grpc.testing.TestService") == nil)
    }

    @Test func clearStatusForgetsAService() {
        let registry = HealthStatusRegistry()
        registry.setStatus(.notServing, for: "a")
        registry.clearStatus(for: "a")
        #expect(registry.status(for: "a") == nil)
    }

    @Test func updatesStartWithTheCurrentStatus() async {
        let registry = HealthStatusRegistry()
        registry.setStatus(.notServing, for: "a")
        var updates = registry.updates(for: "a").makeAsyncIterator()
        #expect(await updates.next() == .some(.notServing))
    }

    @Test func concurrentWritersLeaveWatchersOnTheLastStatus() async {
        let registry = HealthStatusRegistry()
        let updates = registry.updates(for: "svc")
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for step in 0..<500 { registry.setStatus((writer + step) % 2 == 0 ? .serving : .notServing, for: "svc") }
                }
            }
        }
        registry.setStatus(.serving, for: "svc")
        registry.setStatus(.notServing, for: "svc")
        // A slow watcher keeps only the newest update, which must be the final status.
        var iterator = updates.makeAsyncIterator()
        #expect(await iterator.next() == .some(.notServing))
        #expect(registry.status(for: "svc") == .notServing)
    }

    @Test func droppingAWatchUnregistersIt() async {
        let registry = HealthStatusRegistry()
        do {
            let updates = registry.updates(for: "a")
            #expect(registry.watcherCount == 1)
            _ = updates
        }
        // AsyncStream terminates (and calls onTermination) when its last reference goes away.
        #expect(registry.watcherCount == 0)
    }
}
