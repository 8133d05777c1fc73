import Classifier
import Foundation
import Logging
import ModelCache
import Testing

/// Every ModelCache suite nests in here, so they run one at a time (each loads 28 MB models;
/// the machine has 2 cores).
@Suite(.serialized) struct ModelCacheTests {
    @Test func tenantWithoutModelsGetsTheSharedDefault() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(atPath: sandbox.tenants + "/acme", withIntermediateDirectories: true)
        let cache = try sandbox.makeCache()
        let shared = try #require(cache.snapshot(tenant: "acme", name: "default", permit: .testThread))
        #expect(shared.key == .sharedDefault)
        #expect(shared.version == Fixtures.expectedVersion(Sandbox.sharedVersion))
        #expect(shared.path == sandbox.defaultPath)
        #expect(cache.snapshot(tenant: "", name: "default", permit: .testThread) === shared)
        #expect(cache.snapshot(tenant: "nobody", name: "default", permit: .testThread) === shared)
        #expect(cache.snapshot(tenant: "acme", name: "support-v2", permit: .testThread) == nil)
        #expect(cache.memoryUsedBytes == shared.sizeBytes)
    }

    @Test func aTenantsOwnModelWinsOverTheSharedOne() throws {
        let sandbox = try Sandbox()
        try sandbox.install("acme", version: "acme-1")
        try sandbox.install("acme", "support-v2", version: "acme-2")
        let cache = try sandbox.makeCache()
        let own = try #require(cache.snapshot(tenant: "acme", name: "default", permit: .testThread))
        #expect(own.key == ModelKey(tenant: "acme", name: "default"))
        #expect(own.version == Fixtures.expectedVersion("acme-1"))
        #expect(cache.snapshot(tenant: "acme", name: "support-v2", permit: .testThread)?.version == Fixtures.expectedVersion("acme-2"))
        #expect(cache.snapshot(tenant: "other", name: "default", permit: .testThread)?.key == .sharedDefault)
        #expect(cache.snapshot(tenant: "other", name: "support-v2", permit: .testThread) == nil)
        // The snapshot serves: it classifies with the model it names.
        let analysis = own.analyzer.analyze(text: "where is my order?")
        #expect(own.analyzer.intents.labels.contains(analysis.intent.intent))
    }

    @Test func theDefaultModelMustLoad() throws {
        let sandbox = try Sandbox()
        try sandbox.write(Fixtures.corrupted(Fixtures.bytes(version: Sandbox.sharedVersion)), to: sandbox.defaultPath)
        let error = #expect(throws: ModelCacheError.self) { try sandbox.makeCache() }
        #expect(error?.message.contains(sandbox.defaultPath) == true)
        #expect(error?.message.contains("checksum mismatch") == true)

        try FileManager.default.removeItem(atPath: sandbox.defaultPath)
        let missing = #expect(throws: ModelCacheError.self) { try sandbox.makeCache() }
        #expect(missing?.message.contains("no such file") == true)
    }

    @Test func invalidTenantAndModelNamesAreSkipped() throws {
        let sandbox = try Sandbox()
        let recorder = LogRecorder()
        try sandbox.write(Fixtures.bytes(version: "bad-1"), to: sandbox.tenants + "/Bad Tenant/models/default.rimodel")
        try sandbox.write(Fixtures.bytes(version: "bad-2"), to: sandbox.modelPath("acme", "Bad.Name"))
        try sandbox.write(Fixtures.bytes(version: "bad-3"), to: sandbox.tenants + "/acme/models/.hidden.rimodel")
        let cache = try sandbox.makeCache(logger: recorder.logger)
        #expect(cache.statuses().map(\.key) == [.sharedDefault])
        #expect(cache.snapshot(tenant: "Bad Tenant", name: "default", permit: .testThread)?.key == .sharedDefault)
        let warnings = recorder.all.filter { $0.contains("skipping tenant directory") }
        #expect(warnings.count == 1)
        // Reported once, not on every scan.
        _ = sandbox.rescan(cache)
        #expect(recorder.all.filter { $0.contains("skipping tenant directory") }.count == 1)
    }

    @Test func statusesDescribeEveryModel() throws {
        let sandbox = try Sandbox()
        try sandbox.install("acme", version: "acme-1")
        try sandbox.write(Fixtures.corrupted(Fixtures.bytes(version: "beta-1")), to: sandbox.modelPath("beta"))
        let before = Date()
        let cache = try sandbox.makeCache()
        _ = cache.snapshot(tenant: "acme", name: "default", permit: .testThread)

        let statuses = cache.statuses()
        #expect(statuses.map(\.key.description) == ["default", "acme/default", "beta/default"])
        let shared = statuses[0], acme = statuses[1], beta = statuses[2]
        #expect(shared.state == .loaded)
        #expect(shared.version == Fixtures.expectedVersion(Sandbox.sharedVersion))
        #expect(shared.lastUsed == nil)
        #expect(acme.state == .loaded)
        #expect(acme.path == sandbox.modelPath("acme"))
        #expect(acme.sizeBytes == Fixtures.bytes(version: "acme-1").count)
        #expect(try #require(acme.loadedAt) >= before.addingTimeInterval(-1))
        #expect(try #require(acme.loadDuration) > .zero)
        #expect(acme.lastUsed != nil)
        #expect(acme.lastError == nil)
        #expect(beta.state == .failed)
        #expect(beta.version == nil)
        #expect(beta.lastError?.contains("checksum mismatch") == true)
        #expect(beta.lastErrorAt != nil)
        #expect(cache.snapshot(tenant: "beta", name: "default", permit: .testThread)?.key == .sharedDefault)
        #expect(cache.memoryUsedBytes == shared.sizeBytes + acme.sizeBytes)
        #expect(cache.memoryBudgetBytes == 4 << 30)
    }

    @Test func modelKeyNames() {
        #expect(ModelKey(tenant: "acme", name: "support-v2").description == "acme/support-v2")
        #expect(ModelKey.sharedDefault.description == "default")
    }
}
