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
            let tenants = tenantsToScan(&state)
            state.skipped = state.skipped.filter { tenants.contains($0.key) }
            for tenant in tenants { lines += scanTenant(tenant, &state) }
            return lines
        }
    }

    /// Rescans one tenant's models (the watcher, after events in that tenant's directories).
    func rescan(tenant: String) -> [String] {
        scanLock.withLock { state in scanTenant(tenant, &state) }
    }

    /// Rescans the shared default only.
    func rescanShared() -> [String] {
        scanLock.withLock { _ in scanShared() }
    }

    /// Valid tenant directories on disk (and symbolic links in their place, which the tenant
    /// scan refuses with a reason) plus tenants with models registered (whose directory may be
    /// gone). Invalid directory names are logged once each and skipped.
    private func tenantsToScan(_ state: inout ScanState) -> [String] {
        var tenants = Set<String>()
        for shard in shards {
            shard.entries.withLock { entries in
                for key in entries.keys where !key.isShared { tenants.insert(key.tenant) }
            }
        }
        for name in tenantDirectoryNames(includingSymbolicLinks: true) {
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

    /// Names of the directories in the tenants directory (not validated), sorted; symbolic
    /// links are told apart with `lstat` and left out unless asked for. Dot names are ignored.
    func tenantDirectoryNames(includingSymbolicLinks: Bool = false) -> [String] {
        guard let root = configuration.tenantsDirectory, let directory = try? Directory(path: root),
            let names = try? directory.entryNames()
        else { return [] }
        return names.filter { name in
            guard !name.hasPrefix("."), let type = directory.status(of: name)?.type else { return false }
            return type == .directory || (includingSymbolicLinks && type == .symbolicLink)
        }
    }

    /// A tenant's models directory, reached from the tenants directory without following a
    /// symbolic link: `<tenant>` and `<tenant>/models` must be real directories.
    enum ModelsDirectory {
        case opened(Directory)
        /// No tenant directory, or no `models/` in it: the tenant has no models of its own.
        case absent
        /// Skipped, and why (a line for the logs and the rescan's answer).
        case refused(String)
    }

    func openModelsDirectory(tenant: String) -> ModelsDirectory {
        guard let root = configuration.tenantsDirectory else { return .absent }
        let tenants: Directory
        do throws(FileAccessError) {
            tenants = try Directory(path: root)
        } catch {
            if error.reason == .notFound { return .absent }
            return .refused("skipped tenant \(tenant): cannot open the tenants directory \(root): \(error.description)")
        }
        do throws(FileAccessError) {
            return .opened(try tenants.subdirectory(tenant).subdirectory("models"))
        } catch {
            switch error.reason {
            case .notFound:
                return .absent
            case .symbolicLink:
                return .refused(
                    "skipped tenant \(tenant): \(error.path) is a symbolic link; a tenant's directory and its models"
                        + " directory must be real directories inside the tenants directory")
            case .wrongType(let type):
                return .refused("skipped tenant \(tenant): \(error.path) is \(type), not a directory")
            case .tooLarge, .failed:
                return .refused("skipped tenant \(tenant): cannot open \(error.description)")
            }
        }
    }

    /// Reads a model file the way its key allows: the shared default by the operator's path, a
    /// tenant's only through its models directory (see ``openModelsDirectory(tenant:)``).
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
            switch openModelsDirectory(tenant: key.tenant) {
            case .opened(let directory): opened = directory
            case .absent: return .failed("cannot read model file \(path): no such file", nil)
            case .refused(let reason): return .failed(reason, nil)
            }
        }
        return ModelLoader.load(
            key: key, path: path, from: .entry(opened, name: Self.fileName(key.name)), maxBytes: maxBytes,
            probeText: probeText)
    }

    static func fileName(_ name: String) -> String { name + ".rimodel" }

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
        return apply(key: key, path: path, outcome: loadFile(key, path: path), pending: nil).map { [$0] } ?? []
    }

    /// `<name>.rimodel` entries of a tenant's models directory (valid names) with their own
    /// status (`lstat`: a symbolic link is seen as one, never as its target). Entries of any
    /// type are listed: loading refuses what is not a regular file, with a reason in its
    /// status. Dot files and `*.tmp` (writers write-then-rename) are ignored.
    private func modelFiles(in directory: Directory, tenant: String) -> [String: FileStatus] {
        guard let names = try? directory.entryNames() else { return [:] }
        var files: [String: FileStatus] = [:]
        for file in names where !file.hasPrefix(".") && !file.hasSuffix(".tmp") && file.hasSuffix(".rimodel") {
            let name = String(file.dropLast(".rimodel".count))
            guard ModelKey.isValidComponent(name) else {
                logger.debug("ignoring model file with an invalid name", metadata: ["tenant": "\(tenant)", "file": "\(file)"])
                continue
            }
            // Gone since the listing: treated as removed.
            if let status = directory.status(of: file) { files[name] = status }
        }
        return files
    }

    private func scanTenant(_ tenant: String, _ state: inout ScanState) -> [String] {
        guard ModelKey.isValidComponent(tenant) else { return [] }
        var lines: [String] = []
        var directory: Directory?
        switch openModelsDirectory(tenant: tenant) {
        case .opened(let opened):
            directory = opened
            state.skipped[tenant] = nil
        case .absent:
            state.skipped[tenant] = nil
        case .refused(let reason):
            if state.skipped.updateValue(reason, forKey: tenant) != reason {
                logger.warning("\(reason)", metadata: ["tenant": "\(tenant)"])
                lines.append(reason)
            }
        }
        let files = directory.map { modelFiles(in: $0, tenant: tenant) } ?? [:]
        let known: [ModelKey: (seen: FileStatus?, loading: Bool)] = shard(tenant).entries.withLock { entries in
            var known: [ModelKey: (FileStatus?, Bool)] = [:]
            for (key, entry) in entries where key.tenant == tenant { known[key] = (entry.seen, entry.pending != nil) }
            return known
        }
        for key in known.keys.sorted(by: { $0.name < $1.name }) where files[key.name] == nil {
            if let line = remove(key) { lines.append(line) }
        }
        for name in files.keys.sorted() {
            guard let directory, let status = files[name] else { continue }
            let key = ModelKey(tenant: tenant, name: name)
            let path = directory.path + "/" + Self.fileName(name)
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
            let outcome = loadFile(key, path: path, directory: directory)
            if let line = apply(key: key, path: path, outcome: outcome, pending: pending) { lines.append(line) }
            if case .loaded = outcome { enforceBudget(protecting: key) }
        }
        return lines
    }
}
