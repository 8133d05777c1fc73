internal import Synchronization

/// The serving status of the server ("") and of each named service, for `grpc.health.v1.Health`.
///
/// Thread-safe: the composition root sets statuses from any thread while handlers read them
/// and `Watch` calls wait for changes. The whole server ("") starts SERVING.
public final class HealthStatusRegistry: Sendable {
    /// The statuses a server sets; clients see them as `SERVING` / `NOT_SERVING`.
    public enum ServingStatus: Sendable, Hashable {
        case serving
        case notServing
    }

    /// What `Watch` delivers: a status, or nil while the service is unknown.
    typealias Updates = AsyncStream<ServingStatus?>

    private struct State {
        var statuses: [String: ServingStatus] = ["": .serving]
        var isShutDown = false
        var watchers: [String: [Int: Updates.Continuation]] = [:]
        var nextWatcherID = 0

        /// Tells every watcher of `service` its new status. Called under the lock, so watchers
        /// see changes in the order they were made (yield never blocks or calls back).
        func notify(_ service: String) {
            for watcher in watchers[service, default: [:]].values { watcher.yield(statuses[service]) }
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// Sets a service's status ("" = the whole server) and wakes its watchers when it changed.
    /// Ignored after ``shutdown()``.
    public func setStatus(_ status: ServingStatus, for service: String) {
        state.withLock { state in
            guard !state.isShutDown, state.statuses[service] != status else { return }
            state.statuses[service] = status
            state.notify(service)
        }
    }

    /// Forgets a service: `Check` answers NOT_FOUND and `Watch` SERVICE_UNKNOWN for it.
    /// Ignored after ``shutdown()``.
    public func clearStatus(for service: String) {
        state.withLock { state in
            guard !state.isShutDown, state.statuses.removeValue(forKey: service) != nil else { return }
            state.notify(service)
        }
    }

    /// Marks every known service NOT_SERVING for good, so load balancers drain the server
    /// during graceful shutdown, and ends every watch once it has reported that (so open `Watch`
    /// calls do not hold up the drain). Later `setStatus` calls are ignored.
    public func shutdown() {
        let watchers = state.withLock { state -> [Updates.Continuation] in
            guard !state.isShutDown else { return [] }
            state.isShutDown = true
            for (service, status) in state.statuses where status != .notServing {
                state.statuses[service] = .notServing
                state.notify(service)
            }
            return state.watchers.values.flatMap(\.values)
        }
        // Outside the lock: finish() runs onTermination, which takes the lock to unregister.
        for watcher in watchers { watcher.finish() }
    }

    /// The status of a service, or nil when it is unknown.
    public func status(for service: String) -> ServingStatus? {
        state.withLock { $0.statuses[service] }
    }

    /// The current status of `service` at once, then each change, until the consumer stops
    /// iterating (its task is cancelled) or ``shutdown()`` (the stream then finishes).
    /// A slow consumer skips to the latest status.
    func updates(for service: String) -> Updates {
        let (updates, continuation) = Updates.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            defer { state.nextWatcherID += 1 }
            return state.nextWatcherID
        }
        continuation.onTermination = { [weak self] _ in self?.removeWatcher(id, of: service) }
        let registered = state.withLock { state in
            continuation.yield(state.statuses[service])
            guard !state.isShutDown else { return false }
            state.watchers[service, default: [:]][id] = continuation
            return true
        }
        if !registered { continuation.finish() }
        return updates
    }

    /// How many `Watch` calls are waiting (for tests and diagnostics).
    var watcherCount: Int {
        state.withLock { $0.watchers.values.reduce(0) { $0 + $1.count } }
    }

    private func removeWatcher(_ id: Int, of service: String) {
        state.withLock { state in
            state.watchers[service]?[id] = nil
            if state.watchers[service]?.isEmpty == true { state.watchers[service] = nil }
        }
    }
}
