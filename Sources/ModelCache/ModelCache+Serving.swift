public import Blocking
import Dispatch
import Posix
import Synchronization

/// Getting the model a request is served with. Which model: the tenant's own model `name` if it
/// has one (file present and loaded at least once), else the shared model of that name (today
/// only "default"); none when neither exists. A tenant model evicted to stay within the memory
/// budget is loaded again on its next use, single-flight per key (concurrent callers share one
/// load); if that load fails, the shared model answers.
///
/// Four ways, by what the caller may do while a model loads (110-270 ms for a real one):
/// - ``lookup(tenant:name:)`` never blocks and never loads: for event loops.
/// - ``snapshot(tenant:name:permit:)`` blocks: only with a ``BlockingPermit`` (a thread that may block,
///   never an event loop or a task).
/// - `snapshot(tenant:name:) async` suspends: for tasks; the load runs on the cache's loader queue.
/// - ``snapshot(tenant:name:completion:)`` calls back: for code that hands work between threads.
extension ModelCache {
    /// What the cache can answer right now, without loading or waiting: `.ready` with the
    /// model to serve, `.mustLoad` when the tenant's own model is evicted or being loaded (the
    /// caller must go off its event loop and use one of the `snapshot` calls), `.absent` when
    /// neither the tenant nor the shared models have it. Takes one shard lock, briefly (twice
    /// when it falls back to the shared model); safe on an event loop.
    ///
    /// `version` pins the tenant's model to the version a tenant snapshot was built with: while
    /// an update has just replaced it, that version still answers (see ``update(tenant:directory:files:)``).
    public func lookup(tenant: String, name: String, version: String? = nil) -> ModelLookup {
        let now = monotonicNanoseconds()
        if !tenant.isEmpty {
            switch peek(ModelKey(tenant: tenant, name: name), now: now, pinned: version) {
            case .ready(let snapshot): return .ready(snapshot)
            case .mustLoad: return .mustLoad
            case .absent: break
            }
        }
        return peek(ModelKey(tenant: "", name: name), now: now)
    }

    /// The model to serve `name` for `tenant` with (see the extension's documentation), nil
    /// when there is none.
    ///
    /// **Blocks** the calling thread while an evicted model loads (on this thread) or while
    /// another caller's load of it finishes, hence the `permit`: only a thread that may block has
    /// one. An event loop uses ``lookup(tenant:name:version:)`` (and comes here off the loop on
    /// `.mustLoad`); a Swift task uses the `async` overload. `version` pins as in `lookup`.
    public func snapshot(tenant: String, name: String, version: String? = nil, permit: BlockingPermit) -> ModelSnapshot? {
        let now = monotonicNanoseconds()
        if !tenant.isEmpty, let own = resolveBlocking(ModelKey(tenant: tenant, name: name), now: now, pinned: version) {
            return own
        }
        return resolveBlocking(ModelKey(tenant: "", name: name), now: now)
    }

    /// ``snapshot(tenant:name:version:permit:)`` for Swift tasks: the same answer, but neither this task nor
    /// any thread of the cooperative pool ever blocks. A model in memory is returned at once;
    /// an evicted one is loaded on the cache's loader thread (or its load in flight is joined)
    /// while the task is suspended.
    public func snapshot(tenant: String, name: String, version: String? = nil) async -> ModelSnapshot? {
        switch lookup(tenant: tenant, name: name, version: version) {
        case .ready(let snapshot): return snapshot
        case .absent: return nil
        case .mustLoad:
            return await withCheckedContinuation { continuation in
                snapshot(tenant: tenant, name: name) { continuation.resume(returning: $0) }
            }
        }
    }

    /// ``snapshot(tenant:name:permit:)`` with a callback, never blocking the caller: `completion` runs
    /// at once on this thread when the answer is in memory, else on the thread that finishes
    /// the load (the cache's loader thread, an update, or a blocking caller). It must be short
    /// and must not block (hand real work to another thread or loop), nor call ``update(tenant:directory:files:)``.
    public func snapshot(tenant: String, name: String, completion: @escaping @Sendable (ModelSnapshot?) -> Void) {
        let now = monotonicNanoseconds()
        let shared = ModelKey(tenant: "", name: name)
        guard !tenant.isEmpty else {
            resolve(shared, now: now, then: completion)
            return
        }
        resolve(ModelKey(tenant: tenant, name: name), now: now) { own in
            if let own {
                completion(own)
            } else {
                self.resolve(shared, now: now, then: completion)
            }
        }
    }

    // MARK: One key

    /// What a shard holds for one key; a load is claimed only by ``claim(_:now:)``.
    private enum Claim {
        case hit(ModelSnapshot)
        case miss
        /// Someone else is loading it.
        case wait(PendingLoad)
        /// The caller must load it (from `path`) and finish the pending load.
        case load(PendingLoad, String)
    }

    private func peek(_ key: ModelKey, now: UInt64, pinned: String? = nil) -> ModelLookup {
        shard(key.tenant).entries.withLock { entries in
            guard let index = entries.index(forKey: key) else { return .absent }
            if let previous = entries.values[index].previous, previous.version == pinned { return .ready(previous) }
            if let snapshot = entries.values[index].snapshot {
                entries.values[index].lastUsed = now
                return .ready(snapshot)
            }
            return entries.values[index].evicted ? .mustLoad : .absent
        }
    }

    /// Like ``peek(_:now:)``, but an evicted entry with no load in flight gets one, which the
    /// caller must run (single-flight: everyone else waits for it).
    private func claim(_ key: ModelKey, now: UInt64, pinned: String? = nil) -> Claim {
        shard(key.tenant).entries.withLock { entries in
            guard let index = entries.index(forKey: key) else { return .miss }
            if let previous = entries.values[index].previous, previous.version == pinned { return .hit(previous) }
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
    }

    private func resolveBlocking(_ key: ModelKey, now: UInt64, pinned: String? = nil) -> ModelSnapshot? {
        switch claim(key, now: now, pinned: pinned) {
        case .hit(let snapshot): return snapshot
        case .miss: return nil
        case .wait(let pending): return pending.wait()
        case .load(let pending, let path):
            reload(key, path: path, pending: pending)
            return pending.wait()
        }
    }

    private func resolve(_ key: ModelKey, now: UInt64, then completion: @escaping @Sendable (ModelSnapshot?) -> Void) {
        switch claim(key, now: now) {
        case .hit(let snapshot): completion(snapshot)
        case .miss: completion(nil)
        case .wait(let pending): pending.whenFinished(completion)
        case .load(let pending, let path):
            pending.whenFinished(completion)
            loader.async { self.reload(key, path: path, pending: pending) }
        }
    }

    /// Loads an evicted model again for the load claimed as `pending`, and finishes it.
    private func reload(_ key: ModelKey, path: String, pending: PendingLoad) {
        let outcome = loadFile(key, path: path)
        apply(key: key, path: path, outcome: outcome, pending: pending, lazy: true)
        enforceBudget(protecting: key)
    }
}
