internal import Dispatch
internal import Foundation
public import Logging
public import ModelCache
internal import Posix
internal import Synchronization
public import Tenancy

/// The one place that reloads tenants: every trigger — inotify events and the periodic scan
/// (its own thread, ``start()``), the admin ReloadModels RPC and SIGHUP (``reload(_:)``), a
/// durable store's notification (``trigger(_:)``) — runs the same procedure, one at a time:
///
/// 1. tokens file (when it changed, or always on SIGHUP) → new credentials;
/// 2. the shared default model;
/// 3. each tenant in scope: its config files (unchanged ones are not read), validated whole —
///    a broken file keeps the tenant's whole previous snapshot (models too) and records the
///    problem; then its models (``ModelCache`` loads new and changed files first) → a new snapshot;
/// 4. swap: one new ``TenantStore`` generation (credentials + snapshots) published at once;
/// 5. models whose files are gone are forgotten; the outcome lines are logged once and returned.
public final class ReloadCoordinator: Sendable {
    public let store: TenantStore
    public let models: ModelCache
    let tokensFile: String?
    let sharedModelPath: String
    let scanInterval: Duration
    let logger: Logger
    /// Held for a whole reload: reloads never overlap.
    let procedure: Mutex<ReloadState>
    /// Work the thread should do soon (``trigger(_:)``).
    let queued = Mutex<ReloadScope?>(nil)
    let completed = Atomic<Int>(0)
    let running = Mutex<WatchControl?>(nil)

    /// Runs the first reload (every tenant directory, its files and models) before returning.
    public init(
        store: TenantStore, models: ModelCache, tokensFile: String?, sharedModelPath: String,
        scanInterval: Duration = .seconds(10), logger: Logger
    ) {
        self.store = store
        self.models = models
        self.tokensFile = tokensFile
        self.sharedModelPath = sharedModelPath
        self.scanInterval = scanInterval
        self.logger = logger
        procedure = Mutex(
            ReloadState(
                scanner: TenantModelsScanner(layout: store.layout, logger: logger),
                tokensStatus: tokensFile.flatMap { FileStatus.of(path: $0) }))
        _ = run(.all, trigger: .startup)
    }

    deinit {
        running.withLock { $0?.stop.store(true, ordering: .relaxed) }
    }

    /// Runs the whole procedure now, on this thread (it blocks on file I/O and model loads: never
    /// call it on an event loop), after any reload in progress. Returns the outcome lines.
    @discardableResult
    public func reload(_ trigger: ReloadTrigger) -> [String] {
        run(.all, trigger: trigger)
    }

    /// Asks the coordinator's thread to run the whole procedure soon (within ~0.1 s, debounced
    /// with other triggers); returns at once. Without ``start()``, runs it on this thread.
    public func trigger(_ trigger: ReloadTrigger) {
        guard running.withLock({ $0 != nil }) else {
            reload(trigger)
            return
        }
        queued.withLock { scope in
            if scope == nil { scope = .all } else { scope?.formUnion(.all) }
        }
    }

    /// Reloads run so far (the start-up one included).
    public var completedReloads: Int { completed.load(ordering: .relaxed) }

    /// The outcome lines are logged here, once (model lines by the cache, with their levels).
    func log(_ lines: [String], trigger: ReloadTrigger) {
        guard trigger != .startup else { return }
        for line in lines { logger.info("\(line)", metadata: ["reload": "\(trigger.rawValue)"]) }
    }
}

/// What the reload procedure remembers between runs (owned by whoever holds ``ReloadCoordinator/procedure``).
struct ReloadState {
    let scanner: TenantModelsScanner
    var tokensStatus: FileStatus?
    /// Per tenant with a directory: the config files' state the snapshot (or problem) is from.
    var records: [TenantID: TenantRecord] = [:]
}

struct TenantRecord {
    var files: TenantFileState
    var config: TenantConfig?
    var problem: TenantConfigProblem?
}
