import Classifier
import Dispatch
import Foundation
import ModelCache
import Posix
import Synchronization
import TenantStore
import Testing

extension ModelCacheTests {
    /// Model files a tenant controls are read only if they are regular files inside
    /// `<tenants>/<tenant>/models/`, reached without a symbolic link, and not too large.
    @Suite struct Confinement {
        private static let linkReason =
            "is a symbolic link; model files must be regular files inside the tenant's models directory"

        private func status(_ cache: ModelCache, _ tenant: String, _ name: String = "default") -> ModelStatus? {
            cache.statuses().first { $0.key == ModelKey(tenant: tenant, name: name) }
        }

        /// A valid model outside the tenants directory: what a link would lead to. Followed, it
        /// would load (so a refusal is the link check, not a bad file).
        private func outsideModel(_ sandbox: Sandbox, version: String) throws -> String {
            let path = sandbox.root + "/outside/secret.rimodel"
            try sandbox.write(Fixtures.bytes(version: version), to: path)
            return path
        }

        @Test func aModelFileThatIsASymbolicLinkIsRefusedAndItsTargetIsNotReported() throws {
            let sandbox = try Sandbox()
            let target = try outsideModel(sandbox, version: "secret-1")
            try sandbox.symlink(sandbox.modelPath("acme"), to: target)
            let cache = try sandbox.makeCache()

            let refused = try #require(status(cache, "acme"))
            #expect(refused.state == .failed)
            #expect(refused.version == nil)
            #expect(refused.lastError?.contains(sandbox.modelPath("acme") + " " + Self.linkReason) == true)
            // Neither the target's size nor anything about it.
            #expect(refused.sizeBytes == 0)
            #expect(refused.lastError?.contains(target) == false)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault)
            // Reported once: an unchanged link is not tried again.
            #expect(sandbox.rescan(cache).isEmpty)
        }

        @Test func aSymbolicLinkReplacingALoadedModelIsRefusedAndTheOldVersionKeepsServing() throws {
            let sandbox = try Sandbox()
            try sandbox.install("acme", version: "acme-1")
            let cache = try sandbox.makeCache()
            let target = try outsideModel(sandbox, version: "secret-1")
            try sandbox.remove("acme")
            try sandbox.symlink(sandbox.modelPath("acme"), to: target)

            let lines = sandbox.rescan(cache)
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("kept acme/default \(Fixtures.expectedVersion("acme-1")): ") == true)
            #expect(lines.first?.contains(Self.linkReason) == true)
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.version == Fixtures.expectedVersion("acme-1"))
        }

        @Test func aTenantDirectoryThatIsASymbolicLinkIsSkippedWithAReason() throws {
            let sandbox = try Sandbox()
            let recorder = LogRecorder()
            let elsewhere = sandbox.root + "/elsewhere"
            try sandbox.write(Fixtures.bytes(version: "evil-1"), to: elsewhere + "/models/default.rimodel")
            try sandbox.symlink(sandbox.tenants + "/evil", to: elsewhere)
            let cache = try sandbox.makeCache(logger: recorder.logger)

            #expect(cache.statuses().map(\.key) == [.sharedDefault])
            #expect(cache.snapshot(tenant: "evil", name: "default", permit: .testThread)?.key == .sharedDefault)
            let warning = "warning skipped tenant evil: \(sandbox.tenants)/evil is a symbolic link"
            #expect(recorder.all.filter { $0.hasPrefix(warning) }.count == 1)
            #expect(sandbox.rescan(cache).isEmpty)  // reported once, while it stays
        }

        @Test func aModelsDirectoryThatBecomesASymbolicLinkIsSkippedAndItsModelsRemoved() throws {
            let sandbox = try Sandbox()
            try sandbox.install("acme", version: "acme-1")
            let cache = try sandbox.makeCache()
            let elsewhere = sandbox.root + "/elsewhere"
            try sandbox.write(Fixtures.bytes(version: "acme-2"), to: elsewhere + "/default.rimodel")
            try FileManager.default.removeItem(atPath: sandbox.tenants + "/acme/models")
            try sandbox.symlink(sandbox.tenants + "/acme/models", to: elsewhere)

            let lines = sandbox.rescan(cache)
            #expect(
                lines == [
                    "skipped tenant acme: \(sandbox.tenants)/acme/models is a symbolic link; a tenant's directory and"
                        + " its models directory must be real directories inside the tenants directory",
                    "removed acme/default (was \(Fixtures.expectedVersion("acme-1")))",
                ])
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault)
            #expect(sandbox.rescan(cache).isEmpty)

            // A real directory again: served again.
            try FileManager.default.removeItem(atPath: sandbox.tenants + "/acme/models")
            try sandbox.install("acme", version: "acme-3")
            #expect(sandbox.rescan(cache) == ["loaded acme/default \(Fixtures.expectedVersion("acme-3"))"])
        }

        /// The reload of an evicted model goes through the same checks as a scan: a models
        /// directory swapped for a link since is not followed.
        @Test func anEvictedModelIsNotReloadedThroughASymbolicLink() throws {
            let sandbox = try Sandbox()
            for tenant in ["a", "b"] { try sandbox.install(tenant, version: "\(tenant)-1") }
            let cache = try sandbox.makeCache(budget: Fixtures.bytes(version: "a-1").count * 5 / 2)
            #expect(status(cache, "a")?.state == .evicted)
            let elsewhere = sandbox.root + "/elsewhere"
            try sandbox.write(Fixtures.bytes(version: "a-1"), to: elsewhere + "/default.rimodel")
            try FileManager.default.removeItem(atPath: sandbox.tenants + "/a/models")
            try sandbox.symlink(sandbox.tenants + "/a/models", to: elsewhere)

            #expect(cache.snapshot(tenant: "a", name: "default", permit: .testThread)?.key == .sharedDefault)
            let refused = try #require(status(cache, "a"))
            #expect(refused.state == .failed)
            #expect(refused.lastError?.contains("\(sandbox.tenants)/a/models is a symbolic link") == true)
        }

        @Test func aFIFOIsRefusedWithoutBlocking() throws {
            let sandbox = try Sandbox()
            let fifo = sandbox.modelPath("acme")
            try sandbox.makeFIFO(fifo)
            let configuration = sandbox.configuration()
            let tenants = sandbox.tenants
            let made = withoutBlockingOn(fifo) { () -> ModelCache? in
                guard let cache = try? ModelCache(configuration: configuration, logger: Fixtures.quietLogger) else { return nil }
                _ = Sandbox.rescan(cache, TenantModelsScanner(layout: TenantLayout(tenantsDirectory: tenants), logger: Fixtures.quietLogger))
                return cache
            }
            let cache = try #require(made ?? nil)
            let refused = try #require(status(cache, "acme"))
            #expect(refused.state == .failed)
            #expect(refused.lastError == "model file \(fifo) is a FIFO, not a regular file (not read)")
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault)
        }

        /// Runs `body` on a thread of its own; nil (and a test failure) when it was still blocked
        /// after 20 s, opening `fifo`: a writer is then opened to let it go on, and the test end.
        private func withoutBlockingOn<T: Sendable>(_ fifo: String, _ body: @escaping @Sendable () -> T) -> T? {
            let done = DispatchSemaphore(value: 0)
            let result = Mutex<T?>(nil)
            Thread {
                let value = body()
                result.withLock { $0 = value }
                done.signal()
            }.start()
            guard done.wait(timeout: .now() + 20) == .success else {
                if let writer = FileHandle(forWritingAtPath: fifo) { try? writer.close() }
                done.wait()
                Issue.record("opening the FIFO \(fifo) blocked")
                return nil
            }
            return result.withLock { $0 }
        }

        @Test func aDirectoryNamedLikeAModelIsRefused() throws {
            let sandbox = try Sandbox()
            try FileManager.default.createDirectory(atPath: sandbox.modelPath("acme"), withIntermediateDirectories: true)
            let cache = try sandbox.makeCache()
            #expect(status(cache, "acme")?.lastError?.contains("is a directory, not a regular file") == true)
            #expect(status(cache, "acme")?.sizeBytes == 0)
        }

        /// 300 MB of holes: no disk, but reading it would put 300 MB in memory.
        @Test func aFileOverTheSizeLimitIsRefusedBeforeAnyByteIsRead() throws {
            let sandbox = try Sandbox()
            let size = 300 << 20
            try sandbox.sparseFile(sandbox.modelPath("acme"), size: size)
            // The peak, not the current RSS: a buffer read and freed again is unmapped at once.
            try #require(System.resetPeakResidentMemory())
            let before = try #require(System.peakResidentMemoryBytes())
            let cache = try sandbox.load(sandbox.configuration())
            let after = try #require(System.peakResidentMemoryBytes())

            // The shared default (28 MB) was read; the 300 MB were not.
            #expect(after - before < 150 << 20, "peak RSS grew by \((after - before) >> 20) MiB")
            let refused = try #require(status(cache, "acme"))
            #expect(refused.state == .failed)
            #expect(
                refused.lastError
                    == "model file \(sandbox.modelPath("acme")) is 300 MiB (\(size) bytes), larger than the limit of"
                    + " 256 MiB (models.max_file_size_mb); not read")
            #expect(refused.sizeBytes == size)  // the tenant's own regular file: its size may be shown
            #expect(cache.snapshot(tenant: "acme", name: "default", permit: .testThread)?.key == .sharedDefault)
        }

        @Test func aSharedDefaultOverTheSizeLimitStopsTheStart() throws {
            let sandbox = try Sandbox()
            var configuration = sandbox.configuration()
            configuration.maxFileBytes = 1 << 20
            let error = #expect(throws: ModelCacheError.self) {
                try ModelCache(configuration: configuration, logger: Fixtures.quietLogger)
            }
            #expect(error?.message.contains("larger than the limit of 1 MiB (models.max_file_size_mb)") == true)
        }

        /// The operator's default model path may be a link (followed), but only to a regular file.
        @Test func theSharedDefaultMayBeASymbolicLinkToARegularFileOnly() throws {
            let sandbox = try Sandbox()
            let linked = sandbox.root + "/linked-default.rimodel"
            try sandbox.symlink(linked, to: sandbox.defaultPath)
            var configuration = sandbox.configuration()
            configuration.defaultModelPath = linked
            let cache = try ModelCache(configuration: configuration, logger: Fixtures.quietLogger)
            #expect(cache.snapshot(tenant: "", name: "default", permit: .testThread)?.version == Fixtures.expectedVersion(Sandbox.sharedVersion))

            let fifo = sandbox.root + "/fifo-default.rimodel"
            try sandbox.makeFIFO(fifo)
            configuration.defaultModelPath = fifo
            let withFIFO = configuration
            let outcome = withoutBlockingOn(fifo) { () -> String in
                do {
                    _ = try ModelCache(configuration: withFIFO, logger: Fixtures.quietLogger)
                    return "started"
                } catch {
                    return "\(error)"
                }
            }
            #expect(outcome?.contains("is a FIFO, not a regular file") == true, "\(outcome ?? "blocked")")
        }
    }
}
