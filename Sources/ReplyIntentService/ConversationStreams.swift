internal import Synchronization

/// The server's open `StreamConversations` calls, as a group the server can end at shutdown.
///
/// Alert subscribers keep their stream open indefinitely, so without this a graceful shutdown
/// would wait out the whole drain timeout whenever an agent is connected. ``shutdown()`` ends
/// every open stream (and refuses new ones) with UNAVAILABLE, which tells clients to reconnect
/// (to another instance) and resume with `resume_after_sequence`.
public final class ConversationStreams: Sendable {
    private struct State {
        var isShutDown = false
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Ends every open stream and refuses new ones. Idempotent; never blocks on the streams.
    public func shutdown() {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.isShutDown = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    public var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// How many streams are waiting to be told about shutdown (open streams, for tests).
    var openCount: Int { state.withLock { $0.waiters.count } }

    static let shutdownMessage =
        "the server is shutting down: reconnect, and resubscribe with resume_after_sequence to get the alerts raised meanwhile"

    /// Suspends until ``shutdown()`` (true) or until the calling task is cancelled (false).
    func waitForShutdown() async -> Bool {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
                let immediate = state.withLock { state -> Bool? in
                    if state.isShutDown { return true }
                    if Task.isCancelled { return false }
                    state.waiters[id] = waiter
                    return nil
                }
                if let immediate { waiter.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: false)
        }
    }
}
