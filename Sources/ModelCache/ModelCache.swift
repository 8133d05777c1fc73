import Classifier
import Dispatch
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
/// - The cache never lists a tenants directory: the tenant store (TenantStore's reload
///   procedure) tells it which tenant model files exist (``update(tenant:directory:files:)``);
///   it watches and rescans nothing by itself. Updates must be serialized by the caller.
/// - Serving never has to block an event loop: ``lookup(tenant:name:)`` answers from memory or
///   says `.mustLoad`; the `snapshot` calls load (blocking, `async`, or with a callback).
/// - Files a tenant controls are confined: each model file is a regular file in the models
///   directory the tenant store opened (without following links), opened with
///   `O_NOFOLLOW | O_NONBLOCK` through that directory's descriptor; every model file, the
///   shared default too, is refused unread when `fstat` says it is larger than `maxFileBytes`.
public final class ModelCache: Sendable {
    let configuration: ModelCacheConfiguration
    let logger: Logger
    let shards: [Shard]
    let used = Atomic<Int>(0)
    /// Held while choosing and evicting models.
    let evictionLock = Mutex<Void>(())
    /// Where the non-blocking ways to get a model (`async`, callback) load evicted ones: one at
    /// a time, so models loaded on demand beyond the budget are at most one file at once.
    let loader = DispatchQueue(label: "model-loader", qos: .userInitiated)
    /// Load attempts so far (each reads one model file): what single-flight keeps down.
    let loadAttempts = Atomic<Int>(0)

    final class Shard: Sendable {
        let entries = Mutex<[ModelKey: ModelEntry]>([:])
    }

    /// Loads the shared default (throws if it does not load). Tenant models come with
    /// ``update(tenant:directory:files:)``.
    public init(configuration: ModelCacheConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        self.shards = (0..<max(1, configuration.shardCount)).map { _ in Shard() }
        let key = ModelKey.sharedDefault
        let path = configuration.defaultModelPath
        switch loadFile(key, path: path) {
        case .failed(let message, _):
            throw ModelCacheError("the default model \(path) did not load: \(message)")
        case .loaded(let snapshot, let status):
            _ = apply(key: key, path: path, outcome: .loaded(snapshot, status), pending: nil)
        }
    }

    public var memoryBudgetBytes: Int { configuration.memoryBudgetBytes }
    /// The file sizes of every loaded model, the shared default included.
    public var memoryUsedBytes: Int { used.load(ordering: .relaxed) }

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
                            sizeBytes: entry.served?.sizeBytes ?? entry.sizeOnDisk, loadedAt: entry.served?.loadedAt,
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
    /// With `keepPrevious`, a replaced snapshot stays reachable by lookups pinned to its version.
    @discardableResult
    func apply(
        key: ModelKey, path: String, outcome: LoadOutcome, pending: PendingLoad?, lazy: Bool = false,
        keepPrevious: Bool = false
    ) -> String? {
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
                if keepPrevious, let replaced = entry.snapshot, replaced.version != snapshot.version {
                    entry.previous = replaced
                }
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
