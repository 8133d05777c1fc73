internal import Dispatch
internal import Foundation
internal import Logging
internal import Posix
internal import Synchronization
internal import Tenancy

/// Tells the coordinator's thread to stop, and says when it has.
final class WatchControl: Sendable {
    let stop = Atomic<Bool>(false)
    let finished = DispatchSemaphore(value: 0)
}

extension ReloadCoordinator {
    /// Starts the coordinator's thread: inotify on the shared default's directory, the tokens
    /// file's directory, the tenants directory, each tenant directory and its `models/` and
    /// `templates/` (new directories are watched as they appear); events are debounced (~50 ms)
    /// and then the procedure runs for what they named. The whole procedure also runs every
    /// `scanInterval` (in case an event was missed, or inotify is unavailable), and soon after a
    /// ``trigger(_:)``. Calling it again while running does nothing.
    public func start() {
        running.withLock { control in
            guard control == nil else { return }
            let newControl = WatchControl()
            control = newControl
            let coordinator: @Sendable () -> ReloadCoordinator? = { [weak self] in self }
            let thread = Thread {
                ReloadCoordinator.runThread(coordinator: coordinator, control: newControl)
                newControl.finished.signal()
            }
            thread.name = "tenant-reload"
            thread.start()
        }
    }

    /// Stops the thread and waits (up to ~0.1 s plus any reload in progress) for it to end.
    public func stop() {
        guard let control = running.withLock({ control -> WatchControl? in
            defer { control = nil }
            return control
        }) else { return }
        control.stop.store(true, ordering: .relaxed)
        control.finished.wait()
    }

    /// The thread's loop. Holds the coordinator weakly between iterations, so one nobody uses
    /// any more ends its thread.
    private static func runThread(coordinator current: () -> ReloadCoordinator?, control: WatchControl) {
        var watcher: FileWatcher?
        do {
            watcher = try FileWatcher()
        } catch {
            current()?.logger.warning("inotify is unavailable; tenants are rescanned periodically only", metadata: ["error": "\(error)"])
        }
        var state = WatcherState()
        if let coordinator = current(), let watcher { coordinator.syncWatches(watcher, &state) }
        let interval = UInt64(max(100_000_000, (current()?.scanInterval ?? .seconds(10)).nanoseconds))
        var nextFullScan = monotonicNanoseconds() &+ interval
        let debounce: UInt64 = 50_000_000
        var lastEvent: UInt64 = 0
        // Events that never pause (a writer renaming in a loop) still get a reload this often.
        let longestDelay: UInt64 = 500_000_000
        var firstEvent: UInt64 = 0
        while !control.stop.load(ordering: .relaxed) {
            guard let coordinator = current() else { break }
            var timeout: UInt64 = 100_000_000
            let now = monotonicNanoseconds()
            if !state.dirty.isEmpty {
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
                        if state.dirty.isEmpty { firstEvent = lastEvent }
                        for event in events { coordinator.handle(event, active, &state) }
                    }
                } catch {
                    coordinator.logger.warning("reading inotify events failed; falling back to periodic rescans", metadata: ["error": "\(error)"])
                    active.close()
                    watcher = nil
                }
            } else {
                Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
            }
            let after = monotonicNanoseconds()
            if let asked = coordinator.queued.withLock({ scope -> ReloadScope? in
                defer { scope = nil }
                return scope
            }) {
                state.dirty.formUnion(asked)
                firstEvent = min(firstEvent == 0 ? after : firstEvent, after)
                lastEvent = 0  // debounced with file events already waiting, not delayed further
            }
            if after >= nextFullScan {
                state.dirty = ReloadScope(everything: false)
                _ = coordinator.run(.all, trigger: .periodic)
                if let watcher { coordinator.syncWatches(watcher, &state) }
                nextFullScan = monotonicNanoseconds() &+ interval
            } else if !state.dirty.isEmpty && (after &- lastEvent >= debounce || after &- firstEvent >= longestDelay) {
                let scope = state.dirty
                state.dirty = ReloadScope(everything: false)
                _ = coordinator.run(scope, trigger: scope.everything ? .storeNotification : .fileEvents)
                if scope.everything, let watcher { coordinator.syncWatches(watcher, &state) }
            }
        }
    }

    /// Watches every directory that exists now and is not watched yet.
    private func syncWatches(_ watcher: FileWatcher, _ state: inout WatcherState) {
        let sharedDirectory = (sharedModelPath as NSString).deletingLastPathComponent
        addWatch(watcher, sharedDirectory.isEmpty ? "." : sharedDirectory, .sharedDirectory, &state)
        if let tokensFile {
            let directory = (tokensFile as NSString).deletingLastPathComponent
            addWatch(watcher, directory.isEmpty ? "." : directory, .tokensDirectory, &state)
        }
        guard let root = store.layout.tenantsDirectory else { return }
        addWatch(watcher, root, .tenantsRoot, &state)
        for tenant in store.layout.tenantEntries().tenants { watchTenant(watcher, tenant.rawValue, &state) }
    }

    private func watchTenant(_ watcher: FileWatcher, _ tenant: String, _ state: inout WatcherState) {
        guard let root = store.layout.tenantsDirectory else { return }
        // Not through symbolic links: those directories are refused by the reload too.
        let directory = root + "/" + tenant
        addWatch(watcher, directory, .tenant(tenant), &state, followingSymbolicLinks: false)
        addWatch(
            watcher, directory + "/" + TenantLayout.modelsDirectoryName, .models(tenant), &state,
            followingSymbolicLinks: false)
        addWatch(
            watcher, directory + "/" + TenantLayout.templatesDirectoryName, .templates(tenant), &state,
            followingSymbolicLinks: false)
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
            state.dirty.everything = true
            return
        }
        guard let target = state.watches[event.watch] else { return }
        if event.kind.contains(.watchRemoved) {
            state.watches[event.watch] = nil
        }
        let appeared = event.kind.contains(.isDirectory) && !event.kind.isDisjoint(with: [.created, .movedIn])
        switch target {
        case .sharedDirectory:
            if event.name == (sharedModelPath as NSString).lastPathComponent { state.dirty.shared = true }
        case .tokensDirectory:
            if let tokensFile, event.name == (tokensFile as NSString).lastPathComponent { state.dirty.tokens = true }
        case .tenantsRoot:
            if event.name.isEmpty {
                state.dirty.everything = true  // the tenants directory itself went away
            } else if TenantID(event.name) != nil {
                if appeared { watchTenant(watcher, event.name, &state) }
                state.dirty.tenants.insert(event.name)
            }
        case .tenant(let tenant):
            // The corrections log is the service's own output, not configuration.
            if event.name.hasPrefix("corrections.") { return }
            if appeared && (event.name == TenantLayout.modelsDirectoryName || event.name == TenantLayout.templatesDirectoryName) {
                watchTenant(watcher, tenant, &state)
            }
            state.dirty.tenants.insert(tenant)
        case .models(let tenant), .templates(let tenant):
            if event.name.hasPrefix(".") || event.name.hasSuffix(".tmp") { return }
            state.dirty.tenants.insert(tenant)
        }
    }
}

/// What a watch descriptor watches.
enum WatchTarget: Hashable {
    case sharedDirectory
    case tokensDirectory
    case tenantsRoot
    case tenant(String)
    case models(String)
    case templates(String)
}

/// The thread's bookkeeping (owned by that thread).
struct WatcherState {
    var watches: [FileWatcher.Watch: WatchTarget] = [:]
    var dirty = ReloadScope(everything: false)
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
