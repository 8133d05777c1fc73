import Classifier
import Foundation
import Logging
import Posix
import Synchronization

/// Why the cache could not start.
public struct ModelCacheError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Models by tenant and name, hot-reloaded from disk, within a memory budget.
///
/// - Sharded by tenant: each shard is a small dictionary behind its own `Mutex`, held only for
///   a lookup or a pointer swap. Loading and validating a file (tens of milliseconds) happens
///   outside every shard lock, so readers are never blocked by a reload.
/// - Snapshots are immutable; a reload swaps in a new one, a caller holding the old one keeps it.
/// - A file that fails to load (bad checksum, truncated, half-written, fails its probe) never
///   replaces a serving version: the old one keeps serving and the status records why.
/// - Least recently used tenant models are evicted when the loaded files exceed the budget and
///   loaded again, single-flight, on their next use. The shared default is never evicted.
/// - Rescans (``rescan()``, the watcher thread) are serialized with each other.
public final class ModelCache: Sendable {
    let configuration: ModelCacheConfiguration
    let logger: Logger
    let shards: [Shard]
    let used = Atomic<Int>(0)
    /// Held for a whole rescan; holds the tenant directory names already reported as invalid.
    let scanLock = Mutex<ScanState>(ScanState())
    /// Held while choosing and evicting models.
    let evictionLock = Mutex<Void>(())
    let watching = Mutex<WatchControl?>(nil)

    final class Shard: Sendable {
        let entries = Mutex<[ModelKey: ModelEntry]>([:])
    }

    struct ScanState {
        var reportedInvalid: Set<String> = []
    }

    /// Loads the shared default (throws if it does not load) and scans the tenants directory.
    public init(configuration: ModelCacheConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        self.shards = (0..<max(1, configuration.shardCount)).map { _ in Shard() }
        let key = ModelKey.sharedDefault
        let path = configuration.defaultModelPath
        switch ModelLoader.load(key: key, path: path, probeText: configuration.probeText) {
        case .failed(let message, _):
            throw ModelCacheError("the default model \(path) did not load: \(message)")
        case .loaded(let snapshot, let status):
            _ = apply(key: key, path: path, outcome: .loaded(snapshot, status), pending: nil)
        }
        _ = rescan()
    }

    deinit {
        watching.withLock { $0?.stop.store(true, ordering: .relaxed) }
    }

    public var memoryBudgetBytes: Int { configuration.memoryBudgetBytes }
    /// The file sizes of every loaded model, the shared default included.
    public var memoryUsedBytes: Int { used.load(ordering: .relaxed) }

    // MARK: Serving

    /// The model to serve `name` for `tenant` with: the tenant's own model `name` if it has one
    /// (file present and loaded at least once), else the shared model of that name (today only
    /// "default"). nil when neither exists. An evicted model is loaded again here, synchronously
    /// and single-flight per key; if that load fails the shared model answers.
    public func snapshot(tenant: String, name: String) -> ModelSnapshot? {
        let now = monotonicNanoseconds()
        if !tenant.isEmpty, let own = lookup(ModelKey(tenant: tenant, name: name), now: now) { return own }
        return lookup(ModelKey(tenant: "", name: name), now: now)
    }

    private enum Lookup {
        case hit(ModelSnapshot)
        case miss
        case wait(PendingLoad)
        case load(PendingLoad, String)
    }

    private func lookup(_ key: ModelKey, now: UInt64) -> ModelSnapshot? {
        let found: Lookup = shard(key.tenant).entries.withLock { entries in
            guard let index = entries.index(forKey: key) else { return .miss }
            if let snapshot = entries.values[index].snapshot {
                entries.values[index].lastUsed = now
                return .hit(snapshot)
            }
            guard entries.values[index].evicted else { return .miss }
            if let pending = entries.values[index].pending { return .wait(pending) }
            let pending = PendingLoad()
            entries.values[index].pending = pending
            return .load(pending, entries.values[index].path)
        }
        switch found {
        case .hit(let snapshot): return snapshot
        case .miss: return nil
        case .wait(let pending): return pending.wait()
        case .load(let pending, let path):
            let outcome = ModelLoader.load(key: key, path: path, probeText: configuration.probeText)
            _ = apply(key: key, path: path, outcome: outcome, pending: pending, lazy: true)
            enforceBudget(protecting: key)
            return pending.wait()
        }
    }

    func shard(_ tenant: String) -> Shard {
        shards.count == 1 ? shards[0] : shards[Int(UInt(bitPattern: tenant.hashValue) % UInt(shards.count))]
    }

    // MARK: Status

    /// Every model file the cache knows, the shared default first, then by tenant and name.
    public func statuses() -> [ModelStatus] {
        let now = monotonicNanoseconds()
        let wallNow = Date()
        var result: [ModelStatus] = []
        for shard in shards {
            shard.entries.withLock { entries in
                for (key, entry) in entries {
                    let lastUsed = entry.lastUsed == 0
                        ? nil : wallNow.addingTimeInterval(-Double(now &- min(now, entry.lastUsed)) / 1e9)
                    result.append(
                        ModelStatus(
                            key: key, version: entry.served?.version, state: entry.state, path: entry.path,
                            sizeBytes: entry.served?.sizeBytes ?? entry.seen?.size ?? 0, loadedAt: entry.served?.loadedAt,
                            loadDuration: entry.served?.loadDuration, lastUsed: lastUsed, lastError: entry.lastError,
                            lastErrorAt: entry.lastErrorAt))
                }
            }
        }
        return result.sorted { ($0.key.tenant, $0.key.name) < ($1.key.tenant, $1.key.name) }
    }

    // MARK: Installing load results

    /// Records a load attempt's outcome under the key's shard lock and returns the change line.
    /// With `pending`, the entry must still be waiting for exactly that load (a removed file's
    /// entry is gone, and its late load is dropped); without, a new entry is made if needed.
    @discardableResult
    func apply(key: ModelKey, path: String, outcome: LoadOutcome, pending: PendingLoad?, lazy: Bool = false) -> String? {
        let now = Date()
        var previousSize = 0
        var loadedSize = 0
        var serving: ModelSnapshot?
        let change: (line: String, level: Logger.Level)? = shard(key.tenant).entries.withLock { entries in
            if let pending {
                guard entries[key]?.pending === pending else { return nil }
            }
            var entry = entries[key] ?? ModelEntry(path: path)
            entry.pending = nil
            defer {
                serving = entry.snapshot
                entries[key] = entry
            }
            switch outcome {
            case .loaded(let snapshot, let status):
                let old = entry.served?.version
                previousSize = entry.snapshot?.sizeBytes ?? 0
                loadedSize = snapshot.sizeBytes
                entry.snapshot = snapshot
                entry.served = ServedVersion(
                    version: snapshot.version, sizeBytes: snapshot.sizeBytes, loadedAt: snapshot.loadedAt,
                    loadDuration: snapshot.loadDuration)
                entry.evicted = false
                entry.seen = status
                entry.path = path
                entry.lastError = nil
                entry.lastErrorAt = nil
                used.add(loadedSize - previousSize, ordering: .relaxed)
                let ms = snapshot.loadDuration.milliseconds
                if lazy { return ("reloaded \(key) \(snapshot.version) after eviction (\(ms) ms)", .info) }
                let was = old.map { $0 == snapshot.version ? " (same version)" : " (was \($0))" } ?? ""
                return ("loaded \(key) \(snapshot.version)\(was)", .info)
            case .failed(let message, let status):
                entry.seen = status
                entry.lastError = message
                entry.lastErrorAt = now
                if let current = entry.snapshot {
                    return ("kept \(key) \(current.version): \(message)", .warning)
                }
                entry.evicted = false
                return ("failed \(key): \(message)", .error)
            }
        }
        if let change { log(change.line, level: change.level, key: key) }
        pending?.finish(serving)
        return change?.line
    }

    /// Forgets a tenant model whose file is gone (requests fall back to the shared model).
    func remove(_ key: ModelKey) -> String? {
        let removed = shard(key.tenant).entries.withLock { $0.removeValue(forKey: key) }
        guard let removed else { return nil }
        if let snapshot = removed.snapshot { used.subtract(snapshot.sizeBytes, ordering: .relaxed) }
        removed.pending?.finish(nil)
        let line = "removed \(key)" + (removed.served.map { " (was \($0.version))" } ?? "")
        log(line, level: .info, key: key)
        return line
    }

    func log(_ line: String, level: Logger.Level, key: ModelKey) {
        logger.log(
            level: level, "\(line)",
            metadata: ["model": "\(key)", "memory_used_bytes": "\(memoryUsedBytes)", "memory_budget_bytes": "\(memoryBudgetBytes)"])
    }
}

extension Duration {
    /// Whole milliseconds (for logs).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
