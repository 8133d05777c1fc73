internal import Glibc
internal import CPosix
internal import Synchronization

/// One thread running epoll: socket readiness, timers, cross-thread work and end-of-iteration
/// hooks. Each socket, nghttp2 session and SSL object belongs to exactly one loop.
///
/// Each iteration:
/// ```
/// epoll_wait(timeout: 0 if work is queued, else until the next timer, else forever)
///   → handlers' onReadable/onWritable for each ready fd
///   → due timers, in deadline order
///   → work queued by execute() (from any thread)
///   → afterIteration hooks queued during this iteration (flush points)
/// ```
///
/// Thread safety: `execute`, `stop`, `inEventLoop`, `join` and `name` may be used from any
/// thread. Everything else is for the loop's own thread (or before `start()`): the loop-thread
/// state below is only touched there, which is why the class is `@unchecked Sendable`.
public final class EventLoop: @unchecked Sendable {
    public let name: String

    // MARK: Any thread.
    private let epollFD: Int32
    private let wakeFD: Int32
    private let stopRequested = Atomic<Bool>(false)
    /// Mirrors "the task queue is non-empty", so the loop skips the lock when nothing was sent.
    private let hasTasks = Atomic<Bool>(false)
    private let inbox = Mutex(Inbox())
    /// The running loop's pthread_t; 0 when not running.
    private let loopThread = Atomic<UInt>(0)
    private let spawnedThread = Mutex<pthread_t?>(nil)

    private struct Inbox {
        var tasks: [@Sendable () -> Void] = []
        var exited = false
    }

    // MARK: Loop thread only.
    private struct Registration {
        var handler: any EventHandler
        var generation: UInt32
        var readable: Bool
        var writable: Bool
        /// Whether the fd is in the epoll set (not when it wants neither event).
        var inEpoll: Bool
    }

    private enum AfterWork {
        case closure(() -> Void)
        case handler(any IterationEndHandler)
    }

    private var registrations: [Registration?] = []
    private var nextGeneration: UInt32 = 0
    private var timers = TimerQueue()
    private var afterWork: [AfterWork] = []
    private var afterWorkRunning: [AfterWork] = []
    private var taskBatch: [@Sendable () -> Void] = []
    private let events: UnsafeMutablePointer<epoll_event>
    private let eventCapacity = 512

    /// The epoll data word for the wake-up eventfd.
    private static let wakeToken = UInt64.max

    /// Creates the loop's epoll instance and wake-up eventfd; the loop runs once started.
    public init(name: String) throws(SystemCallError) {
        self.name = name
        let epollFD = try SystemCall.retrying("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        let wakeFD: Int32
        do throws(SystemCallError) {
            wakeFD = try SystemCall.retrying("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
            _ = try SystemCall.retrying("epoll_ctl(eventfd)") {
                CPosix_epollControl(epollFD, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue, Self.wakeToken)
            }
        } catch {
            Glibc.close(epollFD)
            throw error
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        self.events = .allocate(capacity: eventCapacity)
    }

    deinit {
        Glibc.close(epollFD)
        Glibc.close(wakeFD)
        events.deallocate()
    }

    // MARK: Running

    /// Runs the loop on a new thread named after the loop (SIGINT/SIGTERM/SIGHUP/SIGPIPE blocked
    /// there, so they reach the thread that waits for them with ``Signals/wait(_:)``).
    public func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
            Signals.blockInCurrentThread(Signals.shutdownSignals + [SIGPIPE])
            loop.nameCurrentThread()
            loop.runOnCurrentThread()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed for loop \(name): \(String(cString: strerror(result)))")
        spawnedThread.withLock { $0 = thread }
    }

    /// Runs the loop on the calling thread until ``stop()``.
    public func runOnCurrentThread() {
        let claimed = loopThread.compareExchange(expected: 0, desired: UInt(pthread_self()), ordering: .acquiringAndReleasing)
        precondition(claimed.exchanged, "event loop \(name) is already running")
        while !stopRequested.load(ordering: .acquiring) {
            runIteration()
        }
        // Work queued up to now still runs (it may resume waiters); later work runs inline.
        let leftovers = inbox.withLock { inbox -> [@Sendable () -> Void] in
            inbox.exited = true
            hasTasks.store(false, ordering: .releasing)
            defer { inbox.tasks = [] }
            return inbox.tasks
        }
        for work in leftovers { work() }
        registrations.removeAll()
        timers.removeAll()
        afterWork.removeAll()
        loopThread.store(0, ordering: .releasing)
    }

    /// Asks the loop to exit after its current iteration. Any thread.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    /// Waits for a loop started with ``start()`` to exit. Not from the loop's own thread.
    public func join() {
        precondition(!inEventLoop, "join() on the loop's own thread would never return")
        guard let thread = spawnedThread.withLock({ state -> pthread_t? in defer { state = nil }; return state }) else {
            return
        }
        pthread_join(thread, nil)
    }

    /// Whether the caller is on this loop's thread.
    public var inEventLoop: Bool {
        let thread = loopThread.load(ordering: .acquiring)
        return thread != 0 && pthread_equal(pthread_t(thread), pthread_self()) != 0
    }

    // MARK: Cross-thread work

    /// Runs `work` on the loop thread soon (next iteration), in the order submitted. Any thread.
    ///
    /// After the loop has exited, `work` runs immediately on the caller's thread instead (so a
    /// continuation waiting on it is never lost).
    public func execute(_ work: @escaping @Sendable () -> Void) {
        let outcome = inbox.withLock { inbox -> Int in
            if inbox.exited { return 2 }
            inbox.tasks.append(work)
            return hasTasks.exchange(true, ordering: .acquiringAndReleasing) ? 0 : 1
        }
        switch outcome {
        case 1: if !inEventLoop { wake() }
        case 2: work()
        default: break
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)  // EAGAIN only when the counter is saturated: already awake
    }

    // MARK: Sockets (loop thread)

    /// Starts watching `fd`. Replaces an earlier registration of the same fd.
    ///
    /// - Throws: `epoll_ctl`'s error (`EBADF`, `EPERM` for regular files, `ENOMEM`).
    public func register(fd: Int32, handler: any EventHandler, readable: Bool, writable: Bool) throws(SystemCallError) {
        assertOwner()
        precondition(fd >= 0, "negative fd")
        if Int(fd) < registrations.count, registrations[Int(fd)] != nil { deregister(fd: fd) }
        if Int(fd) >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - registrations.count))
        }
        nextGeneration &+= 1
        var registration = Registration(handler: handler, generation: nextGeneration, readable: readable, writable: writable, inEpoll: false)
        if readable || writable {
            _ = try SystemCall.retrying("epoll_ctl(ADD, fd \(fd))") {
                CPosix_epollControl(epollFD, EPOLL_CTL_ADD, fd, Self.mask(readable, writable), Self.token(fd, nextGeneration))
            }
            registration.inEpoll = true
        }
        registrations[Int(fd)] = registration
    }

    /// Changes which events `fd` is watched for; no system call when nothing changes.
    public func modify(fd: Int32, readable: Bool, writable: Bool) throws(SystemCallError) {
        assertOwner()
        guard Int(fd) < registrations.count, var registration = registrations[Int(fd)] else {
            throw SystemCallError(call: "modify(fd \(fd)): not registered", errno: ENOENT)
        }
        if registration.readable == readable && registration.writable == writable { return }
        let token = Self.token(fd, registration.generation)
        if !readable && !writable {
            // Out of the epoll set: level-triggered HUP/ERR would otherwise be reported forever.
            _ = try SystemCall.retrying("epoll_ctl(DEL, fd \(fd))") {
                CPosix_epollControl(epollFD, EPOLL_CTL_DEL, fd, 0, 0)
            }
            registration.inEpoll = false
        } else {
            let operation = registration.inEpoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD
            _ = try SystemCall.retrying("epoll_ctl(MOD, fd \(fd))") {
                CPosix_epollControl(epollFD, operation, fd, Self.mask(readable, writable), token)
            }
            registration.inEpoll = true
        }
        registration.readable = readable
        registration.writable = writable
        registrations[Int(fd)] = registration
    }

    /// Stops watching `fd` and releases its handler. Call before closing the fd. Events already
    /// collected for it in this iteration are dropped.
    public func deregister(fd: Int32) {
        assertOwner()
        guard Int(fd) < registrations.count, let registration = registrations[Int(fd)] else { return }
        if registration.inEpoll { _ = CPosix_epollControl(epollFD, EPOLL_CTL_DEL, fd, 0, 0) }
        registrations[Int(fd)] = nil
    }

    // MARK: Timers (loop thread)

    /// Runs `work` on the loop after `nanoseconds` (monotonic clock; epoll's millisecond timeout
    /// means up to ~1 ms late, never early).
    @discardableResult
    public func schedule(after nanoseconds: UInt64, _ work: @escaping () -> Void) -> TimerID {
        let (deadline, overflow) = monotonicNanoseconds().addingReportingOverflow(nanoseconds)
        return schedule(atMonotonic: overflow ? UInt64.max : deadline, work)
    }

    /// Runs `work` on the loop at the ``monotonicNanoseconds()`` instant `deadline`.
    @discardableResult
    public func schedule(atMonotonic deadline: UInt64, _ work: @escaping () -> Void) -> TimerID {
        assertOwner()
        return timers.schedule(at: deadline, work)
    }

    /// Cancels a timer; nothing happens if it already ran or was cancelled.
    public func cancel(_ timer: TimerID) {
        assertOwner()
        timers.cancel(timer)
    }

    // MARK: End of iteration (loop thread)

    /// Runs `work` once at the end of the current iteration (after all of its events).
    public func afterIteration(_ work: @escaping () -> Void) {
        assertOwner()
        afterWork.append(.closure(work))
    }

    /// Calls `handler.onIterationEnd()` once at the end of the current iteration; no closure
    /// allocation (the per-connection flush on the hot path).
    public func afterIteration(notify handler: any IterationEndHandler) {
        assertOwner()
        afterWork.append(.handler(handler))
    }

    // MARK: The loop

    private func runIteration() {
        let count = epoll_wait(epollFD, events, Int32(eventCapacity), timeoutMilliseconds())
        if count < 0 {
            let code = Glibc.errno
            precondition(code == EINTR, "epoll_wait failed on loop \(name): \(String(cString: strerror(code)))")
        }
        var index: Int32 = 0
        while index < count {
            dispatch(events: CPosix_epollEvents(events, index), token: CPosix_epollData(events, index))
            index += 1
        }
        if !timers.isEmpty { runDueTimers() }
        if hasTasks.load(ordering: .acquiring) { runTasks() }
        if !afterWork.isEmpty { runAfterWork() }
    }

    private func timeoutMilliseconds() -> Int32 {
        if hasTasks.load(ordering: .acquiring) || !afterWork.isEmpty { return 0 }
        guard let deadline = timers.nextDeadline() else { return -1 }
        let now = monotonicNanoseconds()
        if deadline <= now { return 0 }
        let milliseconds = (deadline - now + 999_999) / 1_000_000
        return Int32(clamping: milliseconds)
    }

    private func dispatch(events: UInt32, token: UInt64) {
        if token == Self.wakeToken {
            var value: UInt64 = 0
            _ = Glibc.read(wakeFD, &value, 8)
            return
        }
        let fd = Int(truncatingIfNeeded: token & 0xFFFF_FFFF)
        let generation = UInt32(truncatingIfNeeded: token >> 32)
        let failed = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 || failed,
            let registration = current(fd, generation), registration.readable
        {
            registration.handler.onReadable()
        }
        // Look again: onReadable may have closed the socket or changed interest.
        if events & EPOLLOUT.rawValue != 0 || failed,
            let registration = current(fd, generation), registration.writable
        {
            registration.handler.onWritable()
        }
    }

    @inline(__always)
    private func current(_ fd: Int, _ generation: UInt32) -> Registration? {
        guard fd < registrations.count, let registration = registrations[fd], registration.generation == generation else {
            return nil
        }
        return registration
    }

    private func runDueTimers() {
        let now = monotonicNanoseconds()
        while let work = timers.popDue(now: now) { work() }
    }

    private func runTasks() {
        inbox.withLock { inbox in
            swap(&inbox.tasks, &taskBatch)
            hasTasks.store(false, ordering: .releasing)
        }
        for work in taskBatch { work() }
        taskBatch.removeAll(keepingCapacity: true)
    }

    private func runAfterWork() {
        swap(&afterWork, &afterWorkRunning)
        for work in afterWorkRunning {
            switch work {
            case .closure(let body): body()
            case .handler(let handler): handler.onIterationEnd()
            }
        }
        afterWorkRunning.removeAll(keepingCapacity: true)
    }

    // MARK: Helpers

    private static func mask(_ readable: Bool, _ writable: Bool) -> UInt32 {
        (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
    }

    private static func token(_ fd: Int32, _ generation: UInt32) -> UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    private func nameCurrentThread() {
        // Linux limits thread names to 15 bytes.
        let bytes = Array(name.utf8.prefix(15)) + [0]
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = CPosix_setThreadName($0.baseAddress!) }
        }
    }

    @inline(__always)
    private func assertOwner() {
        assert(inEventLoop || loopThread.load(ordering: .relaxed) == 0, "EventLoop \(name) used off its thread")
    }
}
