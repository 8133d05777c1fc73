import Classifier
import Foundation
import Logging
import ModelCache
import Synchronization
import Tenancy
import TenantStore

/// The real default model, loaded once for the whole test target, and copies of it that differ
/// only in their META version (so each copy has its own version string and checksum).
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let defaultModelPath = repositoryRoot + "/models/default.rimodel"

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

    /// "version+crc" as the cache names it: the CRC-32 stored in the file's last 4 bytes.
    static func expectedVersion(_ version: String) -> String {
        let bytes = bytes(version: version)
        let crc = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let digits = String(crc, radix: 16)
        return version + "+" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// `bytes` with one byte in the middle flipped: the checksum no longer holds.
    static func corrupted(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy[copy.count / 2] ^= 0xFF
        return copy
    }

    static let quietLogger = Logger(label: "model-cache-test") { _ in SwiftLogNoOpLogHandler() }
}

/// A temporary directory with a shared default model and a tenants directory.
final class Sandbox {
    let root: String
    let tenants: String
    let defaultPath: String
    static let sharedVersion = "shared-1"

    init() throws {
        root = NSTemporaryDirectory() + "model-cache-\(UUID().uuidString)"
        tenants = root + "/tenants"
        defaultPath = root + "/shared/default.rimodel"
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        try write(Fixtures.bytes(version: Self.sharedVersion), to: defaultPath)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func modelPath(_ tenant: String, _ name: String = "default") -> String {
        tenants + "/" + tenant + "/models/" + name + ".rimodel"
    }

    var layout: TenantLayout { TenantLayout(tenantsDirectory: tenants) }

    func configuration(budget: Int = 4 << 30) -> ModelCacheConfiguration {
        ModelCacheConfiguration(
            defaultModelPath: defaultPath, openTenantModels: layout.openModels, shardCount: 4, memoryBudgetBytes: budget)
    }

    /// What the tenant store's reloads tell the cache (the cache lists no tenants directory itself).
    private var scanner: TenantModelsScanner?

    /// A cache over the sandbox with every tenant's models loaded, as the first reload does.
    func makeCache(budget: Int = 4 << 30, logger: Logger = Fixtures.quietLogger) throws -> ModelCache {
        try load(configuration(budget: budget), logger: logger)
    }

    /// ``makeCache(budget:logger:)`` with any configuration.
    func load(_ configuration: ModelCacheConfiguration, logger: Logger = Fixtures.quietLogger) throws -> ModelCache {
        let cache = try ModelCache(configuration: configuration, logger: logger)
        scanner = TenantModelsScanner(layout: layout, logger: logger)
        _ = rescan(cache)
        return cache
    }

    /// The models part of a reload: the shared default, then every tenant; the change lines.
    func rescan(_ cache: ModelCache) -> [String] {
        Self.rescan(cache, scanner!)
    }

    /// The shared default, then every tenant directory and every tenant the cache has models of.
    static func rescan(_ cache: ModelCache, _ scanner: TenantModelsScanner) -> [String] {
        var lines = cache.rescanShared()
        var tenants = Set(scanner.tenantDirectories())
        for key in cache.statuses().map(\.key) where !key.isShared {
            if let tenant = TenantID(key.tenant) { tenants.insert(tenant) }
        }
        for tenant in tenants.sorted(by: { $0.rawValue < $1.rawValue }) {
            let update = scanner.update(tenant, in: cache)
            lines += update.lines + cache.finish(update)
        }
        return lines
    }

    /// Writes a model the way writers are told to: to `<path>.tmp`, then rename.
    func install(_ tenant: String, _ name: String = "default", version: String) throws {
        try write(Fixtures.bytes(version: version), to: modelPath(tenant, name))
    }

    /// Write-then-rename of arbitrary bytes.
    func write(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path + ".tmp"))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
    }

    /// Overwrites the file in place (what a careless writer does): same inode, new contents.
    func overwriteInPlace(_ bytes: [UInt8], at path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(bytes))
    }

    /// A symbolic link at `path` to `target` (its directory made first).
    func symlink(_ path: String, to target: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    /// A named pipe at `path` (mkfifo(1)); opening it for reading blocks until a writer comes.
    func makeFIFO(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let mkfifo = Process()
        mkfifo.executableURL = URL(fileURLWithPath: "/usr/bin/mkfifo")
        mkfifo.arguments = [path]
        try mkfifo.run()
        mkfifo.waitUntilExit()
        guard mkfifo.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// A sparse file of `size` bytes (ftruncate): no disk blocks, but reading it would put
    /// `size` bytes in memory.
    func sparseFile(_ path: String, size: Int) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(size))
    }

    func remove(_ tenant: String, _ name: String = "default") throws {
        try FileManager.default.removeItem(atPath: modelPath(tenant, name))
    }
}

/// Collects log messages for assertions.
final class LogRecorder: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "model-cache-test") { _ in RecordingLogHandler(recorder: self) }
    }

    var all: [String] { lines.withLock { $0 } }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.lines.withLock { $0.append("\(event.level) \(event.message)") }
    }
}
