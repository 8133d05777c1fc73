import Classifier
import Foundation
import ModelCache
import Synchronization
import Testing

extension ModelCacheTests {
    @Suite struct Concurrency {
        /// Readers on other threads while the file is replaced, corrupted, truncated, rewritten in
        /// place and removed many times: every read gets a snapshot, and only ever one whose
        /// version had been written whole before the read (never a corrupt file's).
        @Test func readersAlwaysGetAValidSnapshotDuringReloads() throws {
            let sandbox = try Sandbox()
            try sandbox.install("acme", version: "acme-1")
            let cache = try sandbox.makeCache()
            let shared = Fixtures.expectedVersion(Sandbox.sharedVersion)
            let allowed = Mutex<Set<String>>([Fixtures.expectedVersion("acme-1"), shared])
            let stop = Atomic<Bool>(false)
            let reads = Atomic<Int>(0)
            let problems = Mutex<[String]>([])
            let finished = DispatchSemaphore(value: 0)
            let readers = 2
            for _ in 0..<readers {
                Thread {
                    let scratch = AnalysisScratch()
                    var count = 0
                    while !stop.load(ordering: .relaxed) {
                        count += 1
                        guard let snapshot = cache.snapshot(tenant: "acme", name: "default", permit: .testThread) else {
                            problems.withLock { $0.append("nil snapshot") }
                            continue
                        }
                        if !allowed.withLock({ $0.contains(snapshot.version) }) {
                            problems.withLock { $0.append("unexpected version \(snapshot.version)") }
                        }
                        // Leave the loader some CPU on a 2-core machine.
                        if count % 256 == 0 { Thread.sleep(forTimeInterval: 0.0002) }
                        if count % 64 == 0 {
                            let intent = snapshot.analyzer.analyze(text: "where is my parcel", scratch: scratch).intent.intent
                            if !snapshot.analyzer.intents.labels.contains(intent) {
                                problems.withLock { $0.append("bad label \(intent)") }
                            }
                        }
                    }
                    reads.add(count, ordering: .relaxed)
                    finished.signal()
                }.start()
            }

            let path = sandbox.modelPath("acme")
            let versions = ["acme-2", "acme-3", "acme-4"]
            var expected = Fixtures.expectedVersion("acme-1")
            for round in 0..<4 {
                let name = versions[round % versions.count]
                let bytes = Fixtures.bytes(version: name)
                // Replace (allowed before it is written: readers may see it as soon as it is renamed in).
                allowed.withLock { _ = $0.insert(Fixtures.expectedVersion(name)) }
                try sandbox.install("acme", version: name)
                _ = sandbox.rescan(cache)
                expected = Fixtures.expectedVersion(name)
                #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == expected)
                // Corrupt, then truncate: the old version keeps serving.
                switch round % 3 {
                case 0: try sandbox.write(Fixtures.corrupted(bytes), to: path)
                case 1: try sandbox.write(Array(bytes.prefix(bytes.count - 100)), to: path)
                default: try sandbox.overwriteInPlace(Array(bytes.prefix(4096)), at: path)
                }
                _ = sandbox.rescan(cache)
                #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == expected)
                // Removed: the shared default serves; then back.
                if round % 3 == 2 {
                    try sandbox.remove("acme")
                    _ = sandbox.rescan(cache)
                    #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == shared)
                }
            }
            stop.store(true, ordering: .relaxed)
            for _ in 0..<readers { finished.wait() }
            #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0.prefix(5) })")
            #expect(reads.load(ordering: .relaxed) > 0)
        }
    }
}
