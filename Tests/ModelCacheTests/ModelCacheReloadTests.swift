import Classifier
import Foundation
import ModelCache
import Testing

extension ModelCacheTests {
    @Suite struct Reload {
        @Test func aReplacedFileServesItsNewVersion() throws {
            let sandbox = try Sandbox()
            try sandbox.install("acme", version: "acme-1")
            let cache = try sandbox.makeCache()
            let old = try #require(cache.snapshot(tenant: "acme", name: "default", permit: .testThread))
            #expect(sandbox.rescan(cache).isEmpty)

            try sandbox.install("acme", version: "acme-2")
            let changes = sandbox.rescan(cache)
            let v2 = Fixtures.expectedVersion("acme-2")
            #expect(changes == ["loaded acme/default \(v2) (was \(Fixtures.expectedVersion("acme-1")))"])
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == v2)
            // A caller still holding the old snapshot keeps a working model.
            #expect(old.version == Fixtures.expectedVersion("acme-1"))
            #expect(!old.analyzer.analyze(text: "refund please").intent.intent.isEmpty)
            #expect(cache.memoryUsedBytes == Fixtures.bytes(version: Sandbox.sharedVersion).count + Fixtures.bytes(version: "acme-2").count)
        }

        @Test func aCorruptOrTruncatedFileKeepsTheOldVersion() throws {
            let sandbox = try Sandbox()
            let recorder = LogRecorder()
            try sandbox.install("acme", version: "acme-1")
            let cache = try sandbox.makeCache(logger: recorder.logger)
            let v1 = Fixtures.expectedVersion("acme-1")
            let good = Fixtures.bytes(version: "acme-2")

            try sandbox.write(Fixtures.corrupted(good), to: sandbox.modelPath("acme"))
            let corrupt = sandbox.rescan(cache)
            #expect(corrupt.count == 1)
            #expect(corrupt.first?.hasPrefix("kept acme/default \(v1): checksum mismatch") == true)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == v1)
            var status = try #require(cache.statuses().first { $0.key.tenant == "acme" })
            #expect(status.state == .loaded)
            #expect(status.version == v1)
            #expect(status.lastError?.contains("checksum mismatch") == true)
            #expect(status.lastErrorAt != nil)
            // The failed file is not read again until it changes.
            #expect(sandbox.rescan(cache).isEmpty)

            try sandbox.write(Array(good.prefix(good.count / 2)), to: sandbox.modelPath("acme"))
            #expect(sandbox.rescan(cache).first?.contains("truncated") == true)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == v1)

            // A careless writer rewriting in place, caught half-way: same inode, short file.
            try sandbox.overwriteInPlace(Array(good.prefix(1000)), at: sandbox.modelPath("acme"))
            #expect(sandbox.rescan(cache).first?.hasPrefix("kept acme/default \(v1)") == true)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == v1)
            try sandbox.write([], to: sandbox.modelPath("acme"))
            #expect(sandbox.rescan(cache).first?.contains("empty") == true)
            try sandbox.write(Array("not a model at all".utf8), to: sandbox.modelPath("acme"))
            #expect(sandbox.rescan(cache).first?.contains("bad magic") == true)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == v1)

            // The writer finishes: the whole file replaces the old version and clears the error.
            try sandbox.overwriteInPlace(good, at: sandbox.modelPath("acme"))
            #expect(sandbox.rescan(cache) == ["loaded acme/default \(Fixtures.expectedVersion("acme-2")) (was \(v1))"])
            status = try #require(cache.statuses().first { $0.key.tenant == "acme" })
            #expect(status.lastError == nil)
            #expect(status.version == Fixtures.expectedVersion("acme-2"))
            // Logs name models and versions.
            #expect(recorder.all.contains { $0.hasPrefix("warning kept acme/default \(v1): checksum mismatch") })
            #expect(recorder.all.contains { $0.hasPrefix("info loaded acme/default \(Fixtures.expectedVersion("acme-2"))") })
        }

        @Test func aNewFileThatFailsIsReportedAndTheSharedModelServes() throws {
            let sandbox = try Sandbox()
            let cache = try sandbox.makeCache()
            try sandbox.write(Fixtures.corrupted(Fixtures.bytes(version: "acme-1")), to: sandbox.modelPath("acme"))
            let changes = sandbox.rescan(cache)
            #expect(changes.count == 1)
            #expect(changes.first?.hasPrefix("failed acme/default: checksum mismatch") == true)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault)
            try sandbox.install("acme", version: "acme-1")
            #expect(sandbox.rescan(cache) == ["loaded acme/default \(Fixtures.expectedVersion("acme-1"))"])
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key.tenant == "acme")
        }

        @Test func aRemovedFileFallsBackToTheSharedDefault() throws {
            let sandbox = try Sandbox()
            try sandbox.install("acme", version: "acme-1")
            try sandbox.install("beta", version: "beta-1")
            let cache = try sandbox.makeCache()
            let size = Fixtures.bytes(version: Sandbox.sharedVersion).count
            #expect(cache.memoryUsedBytes == size + Fixtures.bytes(version: "acme-1").count + Fixtures.bytes(version: "beta-1").count)
            try sandbox.remove("acme")
            try FileManager.default.removeItem(atPath: sandbox.tenants + "/beta")
            #expect(sandbox.rescan(cache) == [
                "removed acme/default (was \(Fixtures.expectedVersion("acme-1")))",
                "removed beta/default (was \(Fixtures.expectedVersion("beta-1")))",
            ])
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault)
            #expect(cache.snapshot(tenant: "beta", name: "default", permit: .testThread)?.key == .sharedDefault)
            #expect(cache.statuses().map(\.key) == [.sharedDefault])
            #expect(cache.memoryUsedBytes == size)
        }

        @Test func theSharedDefaultReloadsButIsNeverUnloaded() throws {
            let sandbox = try Sandbox()
            let cache = try sandbox.makeCache()
            try sandbox.write(Fixtures.bytes(version: "shared-2"), to: sandbox.defaultPath)
            let v2 = Fixtures.expectedVersion("shared-2")
            #expect(sandbox.rescan(cache) == ["loaded default \(v2) (was \(Fixtures.expectedVersion(Sandbox.sharedVersion)))"])
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == v2)

            try FileManager.default.removeItem(atPath: sandbox.defaultPath)
            #expect(sandbox.rescan(cache).first?.hasPrefix("kept default \(v2): model file") == true)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == v2)
            #expect(cache.statuses().first?.state == .loaded)
            #expect(cache.statuses().first?.lastError?.contains("gone") == true)
            #expect(sandbox.rescan(cache).isEmpty)

            try sandbox.write(Fixtures.corrupted(Fixtures.bytes(version: "shared-3")), to: sandbox.defaultPath)
            #expect(sandbox.rescan(cache).first?.hasPrefix("kept default \(v2): checksum mismatch") == true)
            #expect(cache.snapshot(tenant: "", name: "default", permit: .testThread)?.version == v2)
        }
    }
}
