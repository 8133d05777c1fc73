internal import Classifier
internal import Synchronization

/// A small free list of `AnalysisScratch` objects: each call borrows one for the duration of
/// one analysis, so every thread scoring at the same time has its own, and a warm scratch makes
/// scoring allocation-free. The pool never holds more than `capacity` idle scratches.
final class ScratchPool: Sendable {
    private let idle = Mutex<[BorrowedScratch]>([])
    private let capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    func withScratch<Result>(_ body: (AnalysisScratch) throws -> Result) rethrows -> Result {
        let borrowed = idle.withLock { $0.popLast() } ?? BorrowedScratch()
        defer {
            idle.withLock { scratches in
                if scratches.count < capacity { scratches.append(borrowed) }
            }
        }
        return try body(borrowed.scratch)
    }

    /// How many idle scratches the pool holds (for tests).
    var idleCount: Int { idle.withLock { $0.count } }
}

/// An `AnalysisScratch` that moves between threads only through ``ScratchPool``: it is used by
/// exactly one thread between `popLast` and the `append` that returns it, and the pool's mutex
/// orders those hand-overs, so it is never touched by two threads at once.
final class BorrowedScratch: @unchecked Sendable {
    let scratch = AnalysisScratch()
}
