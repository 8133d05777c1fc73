internal import Glibc
internal import CPosix

/// Process signals for a server's main thread: block the shutdown signals everywhere, then
/// wait for one synchronously (no handler runs on an arbitrary thread).
///
/// Call ``block(_:)`` first thing in `main`, before any thread exists: threads inherit the mask.
/// Event loop threads block the shutdown signals themselves too.
public enum Signals {
    public static let hangup = SIGHUP
    public static let interrupt = SIGINT
    public static let terminate = SIGTERM
    public static let brokenPipe = SIGPIPE

    /// SIGTERM, SIGINT and SIGHUP.
    public static let shutdownSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks `signals` in the calling thread (and threads it creates later), makes the calling
    /// thread the one ``wait(_:)`` should be called on, and ignores SIGPIPE process-wide (a write
    /// to a closed socket must fail with EPIPE, not kill the server).
    ///
    /// A thread that existed before this call (and so does not block them) could still receive
    /// one of `signals`; a handler installed here forwards it to the waiting thread with
    /// `pthread_kill` (async-signal-safe), so the signal is never lost nor fatal.
    public static func block(_ signals: [Int32]) {
        ignoreBrokenPipe()
        blockInCurrentThread(signals)
        forwardingTarget = pthread_self()
        for signal in signals where signal != SIGPIPE {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardToWaiter
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            _ = sigaction(signal, &action, nil)
        }
    }

    /// Sets SIGPIPE to SIG_IGN for the whole process.
    public static func ignoreBrokenPipe() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Unblocks `signals` in the calling thread only.
    public static func unblockInCurrentThread(_ signals: [Int32]) {
        var set = makeSet(signals)
        _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func blockInCurrentThread(_ signals: [Int32]) {
        var set = makeSet(signals)
        _ = pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits until one of `signals` (which must be blocked) is pending and returns it.
    public static func wait(_ signals: [Int32]) -> Int32 {
        var set = makeSet(signals)
        var received: Int32 = 0
        while true {
            let result = sigwait(&set, &received)
            if result == 0 { return received }
            // sigwait returns an error number only for invalid sets; EINTR is not possible, but retry.
        }
    }

    /// Like ``wait(_:)`` with a time limit; nil when none arrived in time.
    public static func wait(_ signals: [Int32], timeoutNanoseconds: UInt64) -> Int32? {
        var set = makeSet(signals)
        let deadline = monotonicNanoseconds() &+ timeoutNanoseconds
        while true {
            let now = monotonicNanoseconds()
            if now >= deadline { return nil }
            let left = deadline - now
            var timeout = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
            let result = sigtimedwait(&set, nil, &timeout)
            if result > 0 { return result }
            if Glibc.errno == EAGAIN { return nil }
            // EINTR: another signal interrupted the wait; go on.
        }
    }

    /// Sends `signal` to the calling thread only (tests: the signal stays pending for ``wait(_:)``).
    public static func raiseInCurrentThread(_ signal: Int32) {
        _ = pthread_kill(pthread_self(), signal)
    }

    /// The conventional name, such as `SIGTERM`.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGPIPE: "SIGPIPE"
        case SIGQUIT: "SIGQUIT"
        case SIGUSR1: "SIGUSR1"
        case SIGUSR2: "SIGUSR2"
        default: "signal \(signal)"
        }
    }

    private static func makeSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}

/// The thread that called `Signals.block` last. Written before the handler is installed, then
/// only read (from the handler).
nonisolated(unsafe) private var forwardingTarget: pthread_t = 0

/// Runs on a thread that does not block the signal: re-sends it to the waiting thread, where it
/// is blocked and so stays pending for `sigwait`.
private let forwardToWaiter: @convention(c) (Int32) -> Void = { signal in
    _ = pthread_kill(forwardingTarget, signal)
}
