import Foundation
import Logging
import Posix
import Synchronization

extension ModelCache {
    /// Compares every model file with what is loaded (size, modification time, inode): loads
    /// new and changed files (a file that fails keeps the old version serving), forgets tenant
    /// models whose file is gone, and returns one line per change ("loaded acme/support-v2
    /// 2026.11.20+9f3a02c1", "kept acme/support-v2 ...: checksum mismatch ...", "removed ...").
    /// Unchanged files are not read. Rescans are serialized; serving goes on throughout.
    public func rescan() -> [String] {
        scanLock.withLock { state in
            var lines = scanShared()
            for tenant in tenantsToScan(&state) { lines += scanTenant(tenant) }
            return lines
        }
    }

    /// Rescans one tenant's models (the watcher, after events in that tenant's directories).
    func rescan(tenant: String) -> [String] {
        scanLock.withLock { _ in scanTenant(tenant) }
    }

    /// Rescans the shared default only.
    func rescanShared() -> [String] {
        scanLock.withLock { _ in scanShared() }
    }

    /// Valid tenant directories on disk plus tenants with models registered (whose directory
    /// may be gone). Invalid directory names are logged once each and skipped.
    private func tenantsToScan(_ state: inout ScanState) -> [String] {
        var tenants = Set<String>()
        for shard in shards {
            shard.entries.withLock { entries in
                for key in entries.keys where !key.isShared { tenants.insert(key.tenant) }
            }
        }
        for name in tenantDirectoryNames() {
            if ModelKey.isValidComponent(name) {
                tenants.insert(name)
            } else if state.reportedInvalid.insert(name).inserted {
                logger.warning(
                    "skipping tenant directory with an invalid name: tenant ids match ^[a-z0-9][a-z0-9_-]{0,62}$",
                    metadata: ["directory": "\(name)"])
            }
        }
        return tenants.sorted()
    }

    /// Names of the directories in the tenants directory (not validated), sorted.
    func tenantDirectoryNames() -> [String] {
        guard let root = configuration.tenantsDirectory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: root)
        else { return [] }
        return names.filter { !$0.hasPrefix(".") && FileStatus.of(path: root + "/" + $0)?.type == .directory }.sorted()
    }

    func modelsDirectory(tenant: String) -> String? {
        configuration.tenantsDirectory.map { $0 + "/" + tenant + "/models" }
    }

    private func scanShared() -> [String] {
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
        let outcome = ModelLoader.load(key: key, path: path, probeText: configuration.probeText)
        return apply(key: key, path: path, outcome: outcome, pending: nil).map { [$0] } ?? []
    }

    /// `<tenants>/<tenant>/models/<name>.rimodel` files (valid names, regular files). Dot files
    /// and `*.tmp` (writers write-then-rename) are ignored.
    private func modelFiles(tenant: String) -> [String: String] {
        guard let directory = modelsDirectory(tenant: tenant),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [:] }
        var files: [String: String] = [:]
        for file in names where !file.hasPrefix(".") && !file.hasSuffix(".tmp") && file.hasSuffix(".rimodel") {
            let name = String(file.dropLast(".rimodel".count))
            guard ModelKey.isValidComponent(name) else {
                logger.debug("ignoring model file with an invalid name", metadata: ["tenant": "\(tenant)", "file": "\(file)"])
                continue
            }
            let path = directory + "/" + file
            if FileStatus.of(path: path)?.type == .regular { files[name] = path }
        }
        return files
    }

    private func scanTenant(_ tenant: String) -> [String] {
        guard ModelKey.isValidComponent(tenant) else { return [] }
        let files = modelFiles(tenant: tenant)
        let known: [ModelKey: (seen: FileStatus?, loading: Bool)] = shard(tenant).entries.withLock { entries in
            var known: [ModelKey: (FileStatus?, Bool)] = [:]
            for (key, entry) in entries where key.tenant == tenant { known[key] = (entry.seen, entry.pending != nil) }
            return known
        }
        var lines: [String] = []
        for key in known.keys.sorted(by: { $0.name < $1.name }) where files[key.name] == nil {
            if let line = remove(key) { lines.append(line) }
        }
        for name in files.keys.sorted() {
            let key = ModelKey(tenant: tenant, name: name)
            let path = files[name]!
            let status = FileStatus.of(path: path)
            var pending: PendingLoad?
            if let entry = known[key] {
                // Unchanged, or a lazy reload is reading it right now (and so sees the newest file).
                if entry.seen == status || entry.loading { continue }
                let claimed = PendingLoad()
                let mine = shard(tenant).entries.withLock { entries -> Bool in
                    guard let index = entries.index(forKey: key), entries.values[index].pending == nil else { return false }
                    entries.values[index].pending = claimed
                    return true
                }
                guard mine else { continue }
                pending = claimed
            }
            let outcome = ModelLoader.load(key: key, path: path, probeText: configuration.probeText)
            if let line = apply(key: key, path: path, outcome: outcome, pending: pending) { lines.append(line) }
            if case .loaded = outcome { enforceBudget(protecting: key) }
        }
        return lines
    }
}
