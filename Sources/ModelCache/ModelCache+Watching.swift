import Dispatch
import Foundation
import Logging
import Posix
import Synchronization

/// Tells the watcher thread to stop, and says when it has.
final class WatchControl: Sendable {
    let stop = Atomic<Bool>(false)
    let finished = DispatchSemaphore(value: 0)
}

extension ModelCache {
    /// Starts the watcher thread: inotify on the shared default's directory, the tenants
    /// directory, each tenant directory and each tenant's `models/` (new directories are
    /// watched as they appear); events are debounced (~50 ms) and then that tenant is rescanned.
    /// A full ``rescan()`` also runs every `scanInterval`, in case an event was missed (or
    /// inotify is unavailable). Calling it again while watching does nothing.
    public func startWatching() {
        watching.withLock { control in
            guard control == nil else { return }
            let newControl = WatchControl()
            control = newControl
            let cache: @Sendable () -> ModelCache? = { [weak self] in self }
            let thread = Thread {
                ModelCache.runWatcher(cache: cache, control: newControl)
                newControl.finished.signal()
            }
            thread.name = "model-watcher"
            thread.start()
        }
    }

    /// Stops the watcher thread and waits (up to ~0.1 s plus any rescan in progress) for it to end.
    public func stopWatching() {
        guard let control = watching.withLock({ control -> WatchControl? in
            defer { control = nil }
            return control
        }) else { return }
        control.stop.store(true, ordering: .relaxed)
        control.finished.wait()
    }

    /// The watcher thread's loop. Holds the cache weakly between iterations, so a cache nobody
    /// uses any more ends its watcher.
    private static func runWatcher(cache currentCache: () -> ModelCache?, control: WatchControl) {
        var watcher: FileWatcher?
        do {
            watcher = try FileWatcher()
        } catch {
            currentCache()?.logger.warning("inotify is unavailable; models are rescanned periodically only", metadata: ["error": "\(error)"])
        }
        var state = WatcherState()
        if let cache = currentCache(), let watcher { cache.syncWatches(watcher, &state) }
        let interval = UInt64(max(100_000_000, (currentCache()?.configuration.scanInterval ?? .seconds(10)).nanoseconds))
        var nextFullScan = monotonicNanoseconds() &+ interval
        let debounce: UInt64 = 50_000_000
        var lastEvent: UInt64 = 0
        // Events that never pause (a writer renaming in a loop) still get a rescan this often.
        let longestDelay: UInt64 = 500_000_000
        var firstEvent: UInt64 = 0
        while !control.stop.load(ordering: .relaxed) {
            guard let cache = currentCache() else { break }
            var timeout: UInt64 = 100_000_000
            let now = monotonicNanoseconds()
            if state.hasWork {
                let due = min(lastEvent &+ debounce, firstEvent &+ longestDelay)
                timeout = min(timeout, due > now ? due - now : 0)
            }
            timeout = min(timeout, nextFullScan > now ? nextFullScan - now : 0)
            let milliseconds = Int32((timeout + 999_999) / 1_000_000)
            if let active = watcher {
                do {
                    let events = try active.readEvents(timeoutMilliseconds: milliseconds)
                    if !events.isEmpty {
                        lastEvent = monotonicNanoseconds()
                        if !state.hasWork { firstEvent = lastEvent }
                        for event in events { cache.handle(event, active, &state) }
                    }
                } catch {
                    cache.logger.warning("reading inotify events failed; falling back to periodic rescans", metadata: ["error": "\(error)"])
                    active.close()
                    watcher = nil
                }
            } else {
                Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
            }
            let after = monotonicNanoseconds()
            if state.fullScan || after >= nextFullScan {
                state = WatcherState(watches: state.watches)
                _ = cache.rescan()
                if let watcher { cache.syncWatches(watcher, &state) }
                nextFullScan = monotonicNanoseconds() &+ interval
            } else if state.hasWork && (after &- lastEvent >= debounce || after &- firstEvent >= longestDelay) {
                if state.sharedDirty { _ = cache.rescanShared() }
                for tenant in state.dirtyTenants.sorted() { _ = cache.rescan(tenant: tenant) }
                state.sharedDirty = false
                state.dirtyTenants.removeAll()
            }
        }
    }

    /// Watches every directory that exists now and is not watched yet.
    private func syncWatches(_ watcher: FileWatcher, _ state: inout WatcherState) {
        let sharedDirectory = (configuration.defaultModelPath as NSString).deletingLastPathComponent
        addWatch(watcher, sharedDirectory.isEmpty ? "." : sharedDirectory, .sharedDirectory, &state)
        guard let root = configuration.tenantsDirectory else { return }
        addWatch(watcher, root, .tenantsRoot, &state)
        for tenant in tenantDirectoryNames() where ModelKey.isValidComponent(tenant) {
            watchTenant(watcher, tenant, &state)
        }
    }

    private func watchTenant(_ watcher: FileWatcher, _ tenant: String, _ state: inout WatcherState) {
        guard let root = configuration.tenantsDirectory else { return }
        // Not through symbolic links: those directories are skipped by the scan (lstat) too.
        addWatch(watcher, root + "/" + tenant, .tenant(tenant), &state, followingSymbolicLinks: false)
        addWatch(watcher, root + "/" + tenant + "/models", .models(tenant), &state, followingSymbolicLinks: false)
    }

    private func addWatch(
        _ watcher: FileWatcher, _ path: String, _ target: WatchTarget, _ state: inout WatcherState,
        followingSymbolicLinks: Bool = true
    ) {
        guard FileStatus.of(path: path, followingSymbolicLinks: followingSymbolicLinks)?.type == .directory else { return }
        do {
            let watch = try watcher.addWatch(directory: path, followingSymbolicLinks: followingSymbolicLinks)
            state.watches[watch] = target
        } catch {
            logger.debug("cannot watch directory", metadata: ["directory": "\(path)", "error": "\(error)"])
        }
    }

    private func handle(_ event: FileWatcher.Event, _ watcher: FileWatcher, _ state: inout WatcherState) {
        if event.kind.contains(.overflow) {
            state.fullScan = true
            return
        }
        guard let target = state.watches[event.watch] else { return }
        if event.kind.contains(.watchRemoved) {
            state.watches[event.watch] = nil
        }
        let appeared = event.kind.contains(.isDirectory) && !event.kind.isDisjoint(with: [.created, .movedIn])
        switch target {
        case .sharedDirectory:
            if event.name == (configuration.defaultModelPath as NSString).lastPathComponent { state.sharedDirty = true }
        case .tenantsRoot:
            if event.name.isEmpty {
                state.fullScan = true  // the tenants directory itself went away
            } else if ModelKey.isValidComponent(event.name) {
                if appeared { watchTenant(watcher, event.name, &state) }
                state.dirtyTenants.insert(event.name)
            }
        case .tenant(let tenant):
            if event.name == "models" && appeared { watchTenant(watcher, tenant, &state) }
            if event.name == "models" || event.name.isEmpty { state.dirtyTenants.insert(tenant) }
        case .models(let tenant):
            if event.name.hasPrefix(".") || event.name.hasSuffix(".tmp") { return }
            state.dirtyTenants.insert(tenant)
        }
    }
}

/// What a watch descriptor watches.
enum WatchTarget: Hashable {
    case sharedDirectory
    case tenantsRoot
    case tenant(String)
    case models(String)
}

/// The watcher thread's bookkeeping (owned by that thread).
struct WatcherState {
    var watches: [FileWatcher.Watch: WatchTarget] = [:]
    var dirtyTenants: Set<String> = []
    var sharedDirty = false
    var fullScan = false

    var hasWork: Bool { sharedDirty || !dirtyTenants.isEmpty }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
