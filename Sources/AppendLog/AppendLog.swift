internal import Dispatch
internal import Foundation
internal import Synchronization

/// Appends whole lines to files from any task, through one writer thread that owns the files.
///
/// - Each line is written with one `write(2)` on a descriptor opened `O_APPEND`, so lines from
///   several processes sharing the files never interleave or overwrite each other.
/// - ``append(_:to:)`` suspends (it never blocks the caller's thread: the cooperative pool and
///   event loops stay free) and returns once the line is written. A `kill -9` afterwards loses
///   nothing acknowledged; fsync follows within ``AppendLogConfiguration/fsyncInterval``, or
///   before `append` returns when that is zero (lines that arrive together share one fsync).
/// - A file that a line would take past ``AppendLogConfiguration/maxFileBytes`` is rotated
///   (`x.jsonl` → `x.1.jsonl` → … → `x.<keepFiles>.jsonl`, the oldest deleted) under a directory
///   `flock`, so processes sharing a directory rotate one at a time; a process whose descriptor
///   no longer names the live path (another process rotated it) reopens the path before writing.
/// - At most ``AppendLogConfiguration/maxPendingLines`` lines wait; more fail at once.
///
/// The thread starts with the first line; ``close()`` (or `deinit`) writes what is queued,
/// fsyncs every file and stops it.
public final class AppendLog: Sendable {
    public let configuration: AppendLogConfiguration
    private let queue: AppendQueue
    private let counters = AppendLogCounters()

    public init(configuration: AppendLogConfiguration = AppendLogConfiguration()) {
        self.configuration = configuration
        queue = AppendQueue(maxPending: configuration.maxPendingLines)
    }

    deinit { close() }

    /// Appends `line` (one whole line, newline included) to the file at `path`, creating the
    /// file and its directories when missing. Returns once the line is written (and, with a zero
    /// fsync interval, synced).
    public func append(_ line: [UInt8], to path: String) async throws(AppendLogError) {
        let queue = self.queue
        let configuration = self.configuration
        let counters = self.counters
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, AppendLogError>, Never>) in
            switch queue.enqueue(AppendRequest(path: path, bytes: line, continuation: continuation)) {
            case .refused(let error):
                continuation.resume(returning: .failure(error))
            case .queued(let startWriter):
                if startWriter { Self.startWriter(queue: queue, configuration: configuration, counters: counters) }
            }
        }
        try result.get()
    }

    /// Lines accepted and not yet answered.
    public var pendingLines: Int { queue.outstanding }

    /// What the writer has done so far.
    public var statistics: AppendLogStatistics { counters.snapshot }

    /// Refuses new lines, waits for the queued ones to be written, fsyncs every file and stops
    /// the writer thread. Safe to call more than once, from any thread but the writer's.
    public func close() {
        queue.close()
    }

    private static func startWriter(queue: AppendQueue, configuration: AppendLogConfiguration, counters: AppendLogCounters) {
        let thread = Thread {
            AppendLogWriter(configuration: configuration, counters: counters).run(queue)
            queue.writerStopped()
        }
        thread.name = configuration.threadName
        thread.start()
    }
}

/// One line waiting for the writer, and the task waiting for its outcome.
struct AppendRequest: Sendable {
    let path: String
    let bytes: [UInt8]
    let continuation: CheckedContinuation<Result<Void, AppendLogError>, Never>

    func answer(_ outcome: Result<Void, AppendLogError>) { continuation.resume(returning: outcome) }
}

/// The lines between the appending tasks and the writer thread: a bounded list under a mutex,
/// and a semaphore that wakes the writer.
final class AppendQueue: Sendable {
    enum Admission {
        case queued(startWriter: Bool)
        case refused(AppendLogError)
    }

    private struct State {
        var pending: [AppendRequest] = []
        /// Queued plus taken by the writer but not answered yet: what the bound counts.
        var outstanding = 0
        var closing = false
        var writerStarted = false
    }

    let maxPending: Int
    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    init(maxPending: Int) {
        self.maxPending = maxPending
    }

    var outstanding: Int { state.withLock { $0.outstanding } }

    func enqueue(_ request: AppendRequest) -> Admission {
        let (admission, wake) = state.withLock { state -> (Admission, Bool) in
            if state.closing { return (.refused(.closed), false) }
            if state.outstanding >= maxPending { return (.refused(.queueFull(limit: maxPending)), false) }
            state.outstanding += 1
            state.pending.append(request)
            let start = !state.writerStarted
            state.writerStarted = true
            // The writer takes the whole list each time, so only the first line of a new list
            // needs to wake it (the semaphore keeps the signal if it is not waiting yet).
            return (.queued(startWriter: start), state.pending.count == 1 && !start)
        }
        if wake { wakeUp.signal() }
        return admission
    }

    /// For the writer: every queued line (possibly none), and whether ``close()`` was called.
    func take() -> (requests: [AppendRequest], closing: Bool) {
        state.withLock { state in
            var taken: [AppendRequest] = []
            swap(&taken, &state.pending)
            return (taken, state.closing)
        }
    }

    /// For the writer, once it answered `count` lines.
    func answered(_ count: Int) {
        state.withLock { $0.outstanding -= count }
    }

    /// For the writer: sleeps until a line comes, ``close()`` is called, or `deadline`
    /// (monotonic nanoseconds; nil = no deadline) passes.
    func waitForWork(until deadline: UInt64?, now: UInt64) {
        if let deadline {
            guard deadline > now else { return }
            _ = wakeUp.wait(timeout: .now() + .nanoseconds(Int(min(deadline - now, UInt64(Int.max)))))
        } else {
            wakeUp.wait()
        }
    }

    func close() {
        let waitForWriter = state.withLock { state -> Bool in
            state.closing = true
            return state.writerStarted
        }
        guard waitForWriter else { return }
        wakeUp.signal()
        stopped.wait()
        stopped.signal()  // let any other closer through too
    }

    /// For the writer thread, as it ends.
    func writerStopped() {
        stopped.signal()
    }
}
