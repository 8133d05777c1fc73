import Foundation
import Logging
import Posix
import Synchronization

/// A tenant's models directory as the tenant store opened it (the cache never builds a tenant's
/// path itself): `<tenant>` and `<tenant>/models` are real directories, reached without
/// following a symbolic link.
public enum ModelsDirectoryAccess {
    case opened(Directory)
    /// No tenant directory, or no models directory in it: the tenant has no models of its own.
    case absent
    /// Skipped, and why (a line for the logs and the reload's answer).
    case refused(String)
}

/// One model file of a tenant's models directory: its model name, its file name in the
/// directory, and its own status (`lstat`).
public struct ModelFile: Sendable {
    public let name: String
    public let fileName: String
    public let status: FileStatus

    public init(name: String, fileName: String, status: FileStatus) {
        self.name = name
        self.fileName = fileName
        self.status = status
    }
}

/// What ``ModelCache/update(tenant:directory:files:)`` did for one tenant: the change lines,
/// the version each of its models serves now, and the models whose files are gone (forgotten by
/// ``ModelCache/finish(_:)`` once the new tenant snapshot is published).
public struct TenantModelsUpdate: Sendable {
    public let tenant: String
    public var lines: [String] = []
    /// Model name -> the version serving now (the new one, or the kept one when the new file failed).
    public var versions: [String: String] = [:]
    var gone: [ModelKey] = []
}

extension ModelCache {
    /// Compares a tenant's model files (listed by the tenant store) with what is loaded (size,
    /// modification time, inode) and loads new and changed files, outside every shard lock (a
    /// file that fails keeps the old version serving). A replaced version stays available to
    /// lookups pinned to it (``lookup(tenant:name:version:)``) until the tenant's next update, so
    /// requests on the previous tenant snapshot keep their model. Files that are gone are listed
    /// in the result and forgotten by ``finish(_:)``. Unchanged files are not read.
    /// `directory` nil: the tenant has no models directory (every model of it is gone).
    public func update(tenant: String, directory: Directory?, files: [ModelFile]) -> TenantModelsUpdate {
        var update = TenantModelsUpdate(tenant: tenant)
        let listed = Dictionary(files.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let known: [ModelKey: (seen: FileStatus?, loading: Bool)] = shard(tenant).entries.withLock { entries in
            var known: [ModelKey: (FileStatus?, Bool)] = [:]
            for (key, entry) in entries where key.tenant == tenant {
                known[key] = (entry.seen, entry.pending != nil)
                entries[key]?.previous = nil  // the snapshot that pinned it was replaced by the last update
            }
            return known
        }
        update.gone = known.keys.filter { listed[$0.name] == nil }.sorted { $0.name < $1.name }
        for name in listed.keys.sorted() {
            guard let directory, let file = listed[name] else { continue }
            let key = ModelKey(tenant: tenant, name: name)
            let path = directory.path + "/" + file.fileName
            var pending: PendingLoad?
            if let entry = known[key] {
                // Unchanged, or a lazy reload is reading it right now (and so sees the newest file).
                if entry.seen == file.status || entry.loading { continue }
                let claimed = PendingLoad()
                let mine = shard(tenant).entries.withLock { entries -> Bool in
                    guard let index = entries.index(forKey: key), entries.values[index].pending == nil else { return false }
                    entries.values[index].pending = claimed
                    return true
                }
                guard mine else { continue }
                pending = claimed
            }
            let outcome = loadFile(key, path: path, directory: directory)
            if let line = apply(key: key, path: path, outcome: outcome, pending: pending, keepPrevious: true) {
                update.lines.append(line)
            }
            if case .loaded = outcome { enforceBudget(protecting: key) }
        }
        shard(tenant).entries.withLock { entries in
            for (key, entry) in entries where key.tenant == tenant && listed[key.name] != nil {
                if let version = entry.served?.version { update.versions[key.name] = version }
            }
        }
        return update
    }

    /// Forgets the tenant models whose files ``update(tenant:directory:files:)`` found gone
    /// (requests fall back to the shared model); returns the change lines.
    public func finish(_ update: TenantModelsUpdate) -> [String] {
        update.gone.compactMap { remove($0) }
    }

    /// Reads a model file the way its key allows: the shared default by the operator's path, a
    /// tenant's only through its models directory (`directory`, or the configuration's
    /// ``ModelCacheConfiguration/openTenantModels`` for a model loaded again after eviction).
    func loadFile(_ key: ModelKey, path: String, directory: Directory? = nil) -> LoadOutcome {
        loadAttempts.add(1, ordering: .relaxed)
        let maxBytes = configuration.maxFileBytes
        let probeText = configuration.probeText
        if key.isShared {
            return ModelLoader.load(key: key, path: path, from: .operatorPath, maxBytes: maxBytes, probeText: probeText)
        }
        let opened: Directory
        if let directory {
            opened = directory
        } else {
            switch configuration.openTenantModels?(key.tenant) ?? .absent {
            case .opened(let directory): opened = directory
            case .absent: return .failed("cannot read model file \(path): no such file", nil)
            case .refused(let reason): return .failed(reason, nil)
            }
        }
        return ModelLoader.load(
            key: key, path: path, from: .entry(opened, name: (path as NSString).lastPathComponent), maxBytes: maxBytes,
            probeText: probeText)
    }

    /// Compares the shared default's file with what is loaded and loads it when it changed (a
    /// file that fails, or is gone, keeps the loaded version serving). Returns the change line.
    public func rescanShared() -> [String] {
        let key = ModelKey.sharedDefault
        let path = configuration.defaultModelPath
        let status = FileStatus.of(path: path)
        let seen = shard(key.tenant).entries.withLock { $0[key]?.seen }
        if status == seen { return [] }
        guard status != nil else {
            // The shared default is never unloaded: keep serving what is in memory.
            let message = "model file \(path) is gone; still serving the loaded version"
            let line: String? = shard(key.tenant).entries.withLock { entries in
                guard let index = entries.index(forKey: key) else { return nil }
                entries.values[index].seen = nil
                entries.values[index].lastError = message
                entries.values[index].lastErrorAt = Date()
                return "kept \(key) \(entries.values[index].served?.version ?? "?"): \(message)"
            }
            if let line { log(line, level: .warning, key: key) }
            return line.map { [$0] } ?? []
        }
        return apply(key: key, path: path, outcome: loadFile(key, path: path), pending: nil).map { [$0] } ?? []
    }
}
