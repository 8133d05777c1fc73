import Foundation
import Posix

/// One model file the cache knows about. Lives in a shard's dictionary; changed only with that
/// shard's lock held (and then only by pointer-sized swaps: loading happens outside the lock).
struct ModelEntry {
    var path: String
    /// Serving now; nil when evicted or when the file never loaded.
    var snapshot: ModelSnapshot?
    /// The version an update just replaced, kept for lookups pinned to it (requests on the
    /// previous tenant snapshot) until the tenant's next update. Not counted in the budget.
    var previous: ModelSnapshot?
    /// The last version that loaded (kept after eviction, for statuses and logs).
    var served: ServedVersion?
    /// Evicted to save memory: the next `snapshot()` loads it again.
    var evicted = false
    /// The file as seen before the last load attempt: a scan reloads when the file differs.
    var seen: FileStatus?
    /// Monotonic nanoseconds of the last request that got this model; 0 never.
    var lastUsed: UInt64 = 0
    var lastError: String?
    var lastErrorAt: Date?
    /// A load of this entry in flight (single-flight: every other loader waits for it).
    var pending: PendingLoad?

    init(path: String) { self.path = path }

    var state: ModelStatus.State { snapshot != nil ? .loaded : evicted ? .evicted : .failed }

    /// The size seen on disk, for a file that never loaded: a regular file's own size, 0 for
    /// anything else (a symbolic link's target is never looked at, let alone reported).
    var sizeOnDisk: Int { seen?.type == .regular ? seen?.size ?? 0 : 0 }
}

/// What a successful load left behind, kept while the snapshot itself may be evicted.
struct ServedVersion {
    let version: String
    let sizeBytes: Int
    let loadedAt: Date
    let loadDuration: Duration
}

/// A load in flight, for the callers of `snapshot()` that need its result: they block in
/// ``wait()`` or leave a callback with ``whenFinished(_:)``.
///
/// `@unchecked Sendable`: `done`, `result` and `waiters` are only read or written with
/// `condition` locked.
final class PendingLoad: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false
    private var result: ModelSnapshot?
    private var waiters: [@Sendable (ModelSnapshot?) -> Void] = []

    /// Blocks until ``finish(_:)``; nil when the load failed or the file went away.
    func wait() -> ModelSnapshot? {
        condition.lock()
        defer { condition.unlock() }
        while !done { condition.wait() }
        return result
    }

    /// Calls `body` with the result once the load is finished: on the thread that finishes it,
    /// or at once on this one if it is finished already. Never blocks.
    func whenFinished(_ body: @escaping @Sendable (ModelSnapshot?) -> Void) {
        condition.lock()
        guard done else {
            waiters.append(body)
            condition.unlock()
            return
        }
        let finished = result
        condition.unlock()
        body(finished)
    }

    /// Wakes every waiter and runs every callback (outside the lock). Only the first call counts.
    func finish(_ snapshot: ModelSnapshot?) {
        condition.lock()
        guard !done else {
            condition.unlock()
            return
        }
        result = snapshot
        done = true
        let callbacks = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for callback in callbacks { callback(snapshot) }
    }
}
