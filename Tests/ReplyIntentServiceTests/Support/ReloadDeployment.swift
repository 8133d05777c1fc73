import Foundation
import Posix
import Logging
import ReplyIntentServer

/// A whole server started in-process for the hot-reload tests, in single-tenant mode (every
/// caller is tenant "default", admin), over a temporary directory:
/// ```
/// <root>/shared/default.rimodel                    the shared default (a copy of the real model)
/// <root>/tenants/default/models/default.rimodel    the tenant's default model: the file the tests swap
/// ```
/// The periodic full rescan is an hour away, so only inotify and `reload()` notice changes.
final class ReloadDeployment: Sendable {
    let root: String
    let sharedModelPath: String
    /// The tenant "default"'s own default model; when absent, the shared default serves.
    let tenantModelPath: String
    let application: ReplyIntentApplication
    let log: ReloadLog

    var port: Int { application.plaintextPort ?? 0 }

    init(files: ReloadModelFiles, initialTenantModel: [UInt8]?) throws {
        root = NSTemporaryDirectory() + "replyintent-reload-\(getpid())-\(UUID().uuidString.prefix(8))"
        sharedModelPath = root + "/shared/default.rimodel"
        tenantModelPath = root + "/tenants/default/models/default.rimodel"
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/shared", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/tenants/default/models", withIntermediateDirectories: true)
        try Data(files.shared.bytes).write(to: URL(fileURLWithPath: sharedModelPath))
        if let initialTenantModel { try Data(initialTenantModel).write(to: URL(fileURLWithPath: tenantModelPath)) }

        var settings = ServerSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.threads = 2
        settings.defaultModelPath = sharedModelPath
        settings.tenantsDirectory = root + "/tenants"
        settings.templatesDirectory = ReloadModelFiles.templatesDirectory
        settings.scanIntervalSeconds = 3600
        log = ReloadLog()
        do {
            application = try ReplyIntentApplication(settings: settings, logger: log.logger)
        } catch {
            try? manager.removeItem(atPath: root)
            throw error
        }
    }

    /// Stops the server and deletes the directory.
    func close() {
        application.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }

    var tenantModelExists: Bool { FileManager.default.fileExists(atPath: tenantModelPath) }

    /// Replaces the tenant's model the way writers are told to: write `<name>.tmp`, then
    /// rename(2) it over the old file (atomic: a reader sees the old file or the new one).
    func install(_ bytes: [UInt8]) throws {
        let temporary = tenantModelPath + ".tmp"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        do {
            try FileSystem.rename(temporary, over: tenantModelPath)
        } catch {
            throw ReloadTestError("\(error)")
        }
    }

    func removeTenantModel() throws {
        try FileManager.default.removeItem(atPath: tenantModelPath)
    }

    /// A careless writer: the tenant's file rewritten in place (same inode when it exists),
    /// first half now; ``finishInPlaceWrite(_:_:)`` writes the rest and closes it.
    func beginInPlaceWrite(_ bytes: [UInt8]) throws -> FileHandle {
        if !tenantModelExists {
            guard FileManager.default.createFile(atPath: tenantModelPath, contents: nil) else {
                throw ReloadTestError("cannot create \(tenantModelPath)")
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tenantModelPath))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(bytes[..<(bytes.count / 2)]))
        return handle
    }

    func finishInPlaceWrite(_ handle: FileHandle, _ bytes: [UInt8]) throws {
        try handle.write(contentsOf: Data(bytes[(bytes.count / 2)...]))
        try handle.close()
    }
}

struct ReloadTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
