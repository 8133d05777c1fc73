import Foundation
import Messages
import RPC
import ReplyIntentServer
import Synchronization
import Testing

/// Hot reload under load: a whole server in-process (single-tenant mode: tenant "default"), our
/// client over loopback, and the tenant's default model file replaced, removed, corrupted and
/// truncated while clients call ClassifyIntent as fast as they can.
@Suite(.serialized) struct HotReloadUnderLoadTests {
    static let texts = [
        "where is my order?", "I want a refund, the blender arrived broken", "hola, ¿dónde está mi pedido?",
        "can I change the delivery address please", "thanks, that's all!", "do you have this in size M?",
    ]
    /// The operation order is drawn from this seed, so a failure can be replayed; `RELOAD_SEED`
    /// (decimal) picks another order.
    static let seed: UInt64 = ProcessInfo.processInfo.environment["RELOAD_SEED"].flatMap { UInt64($0) } ?? 0x5EED_4_2026

    @Test(.timeLimit(.minutes(4)))
    func modelsChangeUnderFullLoadWithoutAFailedCallOrAnInvalidVersion() async throws {
        let files = try ReloadModelFiles.get()
        let deployment = try ReloadDeployment(files: files, initialTenantModel: files.valid[0].bytes)
        defer { deployment.close() }
        let admin = try ReloadClient(port: deployment.port)
        defer { admin.close() }
        let start = reloadNow()
        let first = try await admin.classify("where is my order?")
        #expect(first.tenant == "default" && first.version == files.valid[0].version)

        // Load: 3 connections, 2 calls in flight on each, for the whole test.
        let stop = ReloadStopFlag()
        let clients = try (0..<3).map { _ in try ReloadClient(port: deployment.port) }
        defer { clients.forEach { $0.close() } }
        let load = Task { await Self.drive(clients, callsPerConnection: 2, until: stop) }

        var random = ReloadRandom(seed: Self.seed)
        let plan = ReloadOperation.plan(&random)
        var mutator = ReloadMutator(
            deployment: deployment, files: files, admin: admin,
            initial: ReloadExpectation(tenantVersion: files.valid[0].version, fileExists: true), at: start)
        var completed = 0
        var triggers: [String: Int] = [:]
        var thrown: (any Error)?
        do {
            for (index, operation) in plan.enumerated() {
                // A third each: left to inotify alone, reload() (SIGHUP), the ReloadModels RPC.
                let trigger = ReloadTrigger.allCases[Int(random.next() % 3)]
                guard try await mutator.perform(operation, step: index + 1, trigger: trigger) else { break }
                completed += 1
                triggers["\(trigger)", default: 0] += 1
            }
        } catch {
            thrown = error
        }
        stop.set()
        let observations = await load.value

        #expect(thrown == nil, "a file operation or admin call failed: \(thrown.map { "\($0)" } ?? "")")
        #expect(plan.count >= 40)
        #expect(completed == plan.count, "stopped after \(completed) of \(plan.count) operations")
        for problem in mutator.problems { Issue.record("\(problem)") }

        // At the end the expected version serves.
        let last = try await admin.classify("where is my order?")
        #expect(last.version == mutator.serving, "after the last step: \(last.version), expected \(mutator.serving)")

        // Every call succeeded and named a version that was valid at that moment.
        let failures = observations.filter { $0.failure != nil }
        #expect(failures.count == 0, "\(failures.count) of \(observations.count) calls failed, e.g. \(failures.prefix(3).map { $0.failure ?? "" })")
        let valid = files.validVersions
        let unknown = observations.filter { $0.failure == nil && !valid.contains($0.version) }
        #expect(unknown.count == 0, "responses named versions that were never valid: \(Set(unknown.map(\.version)))")
        let mislabelled = observations.filter {
            $0.failure == nil && ($0.version == files.shared.version) != ($0.tenant == "")
        }
        #expect(mislabelled.count == 0, "\(mislabelled.count) responses name the shared version with a tenant, or the reverse")
        let shared = try await admin.model(tenant: "")
        #expect(shared?.state == .loaded && shared?.version == files.shared.version, "shared default: \(String(describing: shared))")
        let timeline = mutator.timeline
        let outOfTime = observations.filter {
            $0.failure == nil && valid.contains($0.version) && !timeline.wasAvailable($0.version, from: $0.start, to: $0.end)
        }
        #expect(
            outOfTime.count == 0,
            """
            \(outOfTime.count) responses named a version that was not serving while they were in flight, e.g. \
            \(outOfTime.prefix(3).map { "\($0.version) for [\($0.start), \($0.end)]" }); timeline: \(timeline.intervals)
            """)
        #expect(!observations.isEmpty)

        let byVersion = Dictionary(grouping: observations.filter { $0.failure == nil }, by: \.version).mapValues(\.count)
        let versionCounts = byVersion.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        let triggerCounts = triggers.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let reported = mutator.reloadLines.filter { $0.contains("default/default") }.count
        print(
            "hot reload under load (seed \(Self.seed)): \(completed) operations (\(triggerCounts)); \(observations.count) calls,"
                + " \(failures.count) failed, answered by \(versionCounts); \(reported) model changes reported by rescans")
    }

    /// The timeline check used above can fail: a version is consistent only with calls in flight
    /// while it may have been serving.
    @Test func theTimelineAcceptsOnlyVersionsAvailableWhileACallWasInFlight() {
        var timeline = ReloadTimeline(initial: "a", at: 100)
        timeline.settled(serving: "b", begun: 200, settled: 300)  // a -> b: swapped somewhere in [200, 300]
        timeline.settled(serving: "b", begun: 400, settled: 500)  // same version again: no change
        timeline.settled(serving: "c", begun: 600, settled: 700)
        #expect(timeline.wasAvailable("a", from: 150, to: 160))
        #expect(timeline.wasAvailable("a", from: 250, to: 260))  // in flight across the swap
        #expect(timeline.wasAvailable("a", from: 290, to: 900))
        #expect(!timeline.wasAvailable("a", from: 301, to: 900))  // started after the swap was seen
        #expect(!timeline.wasAvailable("b", from: 100, to: 199))  // answered before b was written
        #expect(timeline.wasAvailable("b", from: 450, to: 460))
        #expect(!timeline.wasAvailable("b", from: 701, to: 800))
        #expect(timeline.wasAvailable("c", from: 650, to: 10_000))
        #expect(!timeline.wasAvailable("d", from: 0, to: .max))
    }

    /// Runs `callsPerConnection` loops of ClassifyIntent on each client until `stop`, each
    /// recording every call's start, end and answer.
    static func drive(_ clients: [ReloadClient], callsPerConnection: Int, until stop: ReloadStopFlag) async -> [ReloadObservation] {
        await withTaskGroup(of: [ReloadObservation].self) { group in
            for (connection, client) in clients.enumerated() {
                for lane in 0..<callsPerConnection {
                    group.addTask {
                        var seen: [ReloadObservation] = []
                        seen.reserveCapacity(1 << 14)
                        var count = 0
                        while !stop.isSet {
                            let text = texts[(count + lane) % texts.count]
                            let started = reloadNow()
                            do {
                                let model = try await client.classify(text, id: "m\(connection)-\(lane)-\(count)")
                                seen.append(
                                    ReloadObservation(start: started, end: reloadNow(), version: model.version, tenant: model.tenant, failure: nil))
                            } catch {
                                seen.append(ReloadObservation(start: started, end: reloadNow(), version: "", tenant: "", failure: "\(error)"))
                            }
                            count += 1
                        }
                        return seen
                    }
                }
            }
            var all: [ReloadObservation] = []
            for await part in group { all += part }
            return all
        }
    }

    /// A model file that never loaded (corrupt from the start) leaves the tenant on the shared
    /// default, listed as failed with its error; `application.reload()` (what SIGHUP calls)
    /// returns one change line per model change.
    @Test(.timeLimit(.minutes(2)))
    func aCorruptFileThatNeverLoadedLeavesTheSharedDefaultAndReloadReportsChanges() async throws {
        let files = try ReloadModelFiles.get()
        let deployment = try ReloadDeployment(files: files, initialTenantModel: nil)
        defer { deployment.close() }
        let client = try ReloadClient(port: deployment.port)
        defer { client.close() }
        let v1 = files.valid[0]

        var model = try await client.classify("where is my order?")
        #expect(model.tenant == "" && model.version == files.shared.version)
        #expect(try await client.model(tenant: "default") == nil)

        // A corrupt file where there was none: the shared default keeps answering.
        let failed = try await reloadReports(deployment) { try deployment.install(files.corrupt) } matching: {
            $0.hasPrefix("failed default/default: ")
        }
        #expect(failed != nil, "reload() never reported the corrupt file; log:\n\(deployment.log.tail())")
        var info = try await client.model(tenant: "default")
        #expect(info?.state == .failed && info?.version == "", "\(String(describing: info))")
        #expect(info?.lastError.isEmpty == false && (info?.lastErrorAtUnixMs ?? 0) > 0)
        model = try await client.classify("where is my order?")
        #expect(model.tenant == "" && model.version == files.shared.version)

        // Then a valid one: it serves.
        let loaded = try await reloadReports(deployment) { try deployment.install(v1.bytes) } matching: {
            $0.hasPrefix("loaded default/default \(v1.version)")
        }
        #expect(loaded != nil, "reload() never reported loading \(v1.version); log:\n\(deployment.log.tail())")
        model = try await client.classify("where is my order?")
        #expect(model.tenant == "default" && model.version == v1.version)
        info = try await client.model(tenant: "default")
        #expect(info?.state == .loaded && info?.version == v1.version && info?.lastError == "")

        // A truncated file over it: kept, and the failure listed.
        let kept = try await reloadReports(deployment) { try deployment.install(files.truncated) } matching: {
            $0.hasPrefix("kept default/default \(v1.version): ")
        }
        #expect(kept != nil, "reload() never reported keeping \(v1.version); log:\n\(deployment.log.tail())")
        info = try await client.model(tenant: "default")
        #expect(info?.state == .loaded && info?.version == v1.version && info?.lastError.isEmpty == false)
        model = try await client.classify("where is my order?")
        #expect(model.version == v1.version)

        // Removed: back to the shared default.
        let removed = try await reloadReports(deployment) { try deployment.removeTenantModel() } matching: {
            $0.hasPrefix("removed default/default (was \(v1.version))")
        } undo: {
            try deployment.install(v1.bytes)
            _ = deployment.application.reload()
        }
        #expect(removed != nil, "reload() never reported the removal; log:\n\(deployment.log.tail())")
        model = try await client.classify("where is my order?")
        #expect(model.tenant == "" && model.version == files.shared.version)
        #expect(try await client.model(tenant: "default") == nil)

        // Nothing changed: nothing to report about models.
        let quiet = try await reloadOffThread { deployment.application.reload() }
        #expect(!quiet.contains { $0.contains("default/default") || $0.hasPrefix("loaded") }, "\(quiet)")
    }

    /// Makes `change` and calls `application.reload()` right after, on one thread; returns its
    /// lines once they contain one `matching`. The watcher may notice first (it rescans ~50 ms
    /// after an event; this thread may not run in time on a busy machine): then `undo` and try
    /// again, up to 5 times. nil when reload() never reported it.
    func reloadReports(
        _ deployment: ReloadDeployment, change: @escaping @Sendable () throws -> Void,
        matching: @escaping @Sendable (String) -> Bool, undo: (@Sendable () throws -> Void)? = nil
    ) async throws -> [String]? {
        for _ in 0..<5 {
            let lines = try await reloadOffThread {
                try change()
                return deployment.application.reload()
            }
            if lines.contains(where: matching) { return lines }
            // Wait until the watcher has done it, then put things back for another try.
            for _ in 0..<600 where !deployment.log.all.contains(where: { line in matching(Self.message(of: line)) }) {
                await reloadPause(milliseconds: 50)
            }
            if let undo { try await reloadOffThread { try undo() } }
        }
        return nil
    }

    /// A ReloadLog line without its level ("info loaded ..." -> "loaded ...").
    static func message(of line: String) -> String {
        line.firstIndex(of: " ").map { String(line[line.index(after: $0)...]) } ?? line
    }
}

/// Tells the load tasks to stop.
final class ReloadStopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
