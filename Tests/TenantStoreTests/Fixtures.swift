import Classifier
import Foundation
import Logging
import ModelCache
import Synchronization
import Tenancy
import TenantStore

/// The real default model and copies of it that differ only in their META version (each copy
/// has its own version string and checksum), the bundled templates, a quiet logger.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let defaultModelPath = repositoryRoot + "/models/default.rimodel"
    static let templates = repositoryRoot + "/Templates"

    static let base: MessageAnalyzer = {
        do { return try MessageAnalyzer.load(path: defaultModelPath) } catch { fatalError("cannot load \(defaultModelPath): \(error)") }
    }()

    private static let encoded = Mutex<[String: [UInt8]]>([:])

    /// The default model's bytes with META version `version` (encoded once per version).
    static func bytes(version: String) -> [UInt8] {
        if let cached = encoded.withLock({ $0[version] }) { return cached }
        var metadata = base.intents.metadata
        metadata.version = version
        let bytes = MessageAnalyzer(intents: base.intents.with(metadata: metadata), signals: base.signals).encode()
        encoded.withLock { $0[version] = bytes }
        return bytes
    }

    /// "version+crc" as the cache names it.
    static func expectedVersion(_ version: String) -> String {
        let bytes = bytes(version: version)
        let crc = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let digits = String(crc, radix: 16)
        return version + "+" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    static let quietLogger = Logger(label: "tenant-store-test") { _ in SwiftLogNoOpLogHandler() }

    /// Polls `condition` until it holds or a generous deadline passes (a broken watcher fails the
    /// test instead of hanging it; nothing here measures time).
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<400 {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }
}

/// A temporary deployment: a shared default model and a tenants directory, and the store and
/// coordinator over them.
final class TenantSandbox {
    let root: String
    let tenants: String
    let sharedModel: String
    static let sharedVersion = "shared-1"

    init() throws {
        root = NSTemporaryDirectory() + "tenant-store-\(UUID().uuidString)"
        tenants = root + "/tenants"
        sharedModel = root + "/shared/default.rimodel"
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        try write(Fixtures.bytes(version: Self.sharedVersion), to: sharedModel)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The store, the cache and the coordinator, after the start-up reload. The periodic scan is
    /// an hour away unless asked for; the thread runs only after `start()`.
    func coordinator(
        tenantsDirectory: String?? = nil, tokensFile: String? = nil, credentials: Authenticator = Authenticator(mode: .singleTenant),
        scanInterval: Duration = .seconds(3600), templates: String = Fixtures.templates, logger: Logger = Fixtures.quietLogger
    ) throws -> ReloadCoordinator {
        let layout = TenantLayout(tenantsDirectory: tenantsDirectory ?? tenants)
        let models = try ModelCache(
            configuration: ModelCacheConfiguration(defaultModelPath: sharedModel, openTenantModels: layout.openModels),
            logger: logger)
        let store = try TenantStore(layout: layout, bundledTemplatesDirectory: templates, credentials: credentials)
        return ReloadCoordinator(
            store: store, models: models, tokensFile: tokensFile, sharedModelPath: sharedModel, scanInterval: scanInterval,
            logger: logger)
    }

    func write(_ text: String, _ path: String) throws {
        try write(Array(text.utf8), to: tenants + "/" + path)
    }

    func modelPath(_ tenant: String, _ name: String = "default") -> String {
        tenants + "/" + tenant + "/models/" + name + ".rimodel"
    }

    /// Writes a model the way writers are told to: to `<path>.tmp`, then rename.
    func install(_ tenant: String, _ name: String = "default", version: String) throws {
        try write(Fixtures.bytes(version: version), to: modelPath(tenant, name))
    }

    func remove(_ tenant: String, _ name: String = "default") throws {
        try FileManager.default.removeItem(atPath: modelPath(tenant, name))
    }

    /// Write-then-rename of arbitrary bytes.
    func write(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path + ".tmp"))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
    }
}

extension Fixtures {
    /// A coordinator over `tenants` (nil: no tenants directory) with the repository's default
    /// model as the shared one, after its start-up reload.
    static func coordinator(tenants: String?, templates: String = Fixtures.templates) throws -> ReloadCoordinator {
        let layout = TenantLayout(tenantsDirectory: tenants)
        let models = try ModelCache(
            configuration: ModelCacheConfiguration(defaultModelPath: defaultModelPath, openTenantModels: layout.openModels),
            logger: quietLogger)
        let store = try TenantStore(
            layout: layout, bundledTemplatesDirectory: templates, credentials: Authenticator(mode: .singleTenant))
        return ReloadCoordinator(
            store: store, models: models, tokensFile: nil, sharedModelPath: defaultModelPath, logger: quietLogger)
    }

    /// Writes `text` to `path`, making its directories.
    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
