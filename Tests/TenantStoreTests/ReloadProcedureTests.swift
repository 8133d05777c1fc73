import Dispatch
import Foundation
import ModelCache
import Synchronization
import Policy
import Replies
import Tenancy
import TenantStore
import Testing

/// Every trigger runs the one procedure, one at a time, and it reports one list of outcomes.
@Suite struct ReloadProcedureTests {
    @Test(arguments: [ReloadTrigger.adminRequest, .signal, .periodic, .storeNotification, .fileEvents])
    func everyTriggerRunsTheSameProcedure(_ trigger: ReloadTrigger) throws {
        let sandbox = try TenantSandbox()
        let coordinator = try sandbox.coordinator()
        #expect(coordinator.completedReloads == 1)  // the start-up reload
        try sandbox.write("mode: auto\n", "acme/policy.yaml")
        try sandbox.install("acme", version: "acme-1")
        let lines = coordinator.reload(trigger)
        #expect(
            lines == [
                "loaded tenant acme configuration: policy.yaml, 0 template files",
                "loaded acme/default \(Fixtures.expectedVersion("acme-1"))",
            ])
        #expect(coordinator.completedReloads == 2)
        #expect(coordinator.store.snapshot(for: TenantID("acme")!).policy.mode == .auto)
    }

    @Test func concurrentTriggersAreSerialized() throws {
        let sandbox = try TenantSandbox()
        let coordinator = try sandbox.coordinator()
        let generations = Mutex<[[UInt64]]>([])
        let policy = sandbox.tenants + "/acme/policy.yaml"
        try Fixtures.write("default_language: de\n", to: policy)
        let written = DispatchSemaphore(value: 0)
        let writer = Thread {
            for index in 0..<20 {
                try? Fixtures.write("default_language: \(index.isMultiple(of: 2) ? "fr" : "de")\n", to: policy)
            }
            written.signal()
        }
        writer.start()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            var mine: [UInt64] = []
            for _ in 0..<5 {
                coordinator.reload(index.isMultiple(of: 2) ? .adminRequest : .signal)
                mine.append(coordinator.store.generation)
            }
            generations.withLock { $0.append(mine) }
        }
        written.wait()
        #expect(coordinator.completedReloads == 1 + 40)
        // Each caller sees generations only go up: no reload published over a later one.
        let seen = generations.withLock { $0 }
        #expect(seen.count == 8)
        for sequence in seen { #expect(sequence == sequence.sorted()) }
        coordinator.reload(.adminRequest)
        let final = coordinator.store.snapshot(for: TenantID("acme")!)
        let onDisk = try String(contentsOfFile: sandbox.tenants + "/acme/policy.yaml", encoding: .utf8)
        #expect(onDisk.contains(final.policy.defaultLanguage))
    }
}
