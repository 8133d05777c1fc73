internal import Dispatch

/// Runs work that blocks (file reads, model loads, fsync) on a Dispatch thread, where blocking is
/// allowed, so that neither an event loop nor a thread of Swift's cooperative pool ever waits on
/// it. The work gets the ``BlockingPermit`` that the blocking APIs require.
public enum BlockingWork {
    public static func run<Result: Sendable>(_ work: @escaping @Sendable (BlockingPermit) -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work(BlockingPermit())) }
        }
    }
}
