internal import Synchronization

/// A fixed set of event loops (one per core, usually), handed out round-robin.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let counter = Atomic<Int>(0)

    /// Creates `count` loops named `name-0`, `name-1`, … (not started).
    public init(count: Int, name: String) throws(SystemCallError) {
        precondition(count > 0, "an EventLoopGroup needs at least one loop")
        var loops: [EventLoop] = []
        for index in 0..<count { loops.append(try EventLoop(name: "\(name)-\(index)")) }
        self.loops = loops
    }

    /// The next loop, round-robin. Any thread.
    public func next() -> EventLoop {
        let index = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[Int(UInt(bitPattern: index) % UInt(loops.count))]
    }

    /// Starts every loop on its own thread.
    public func start() {
        for loop in loops { loop.start() }
    }

    /// Stops every loop and, unless called from one of them, waits for their threads to exit.
    public func stop() {
        for loop in loops { loop.stop() }
        if loops.contains(where: \.inEventLoop) { return }
        for loop in loops { loop.join() }
    }
}
