import Dispatch
import Synchronization

/// Maps `items` with `transform` on `threads` threads (contiguous chunks), keeping order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int, _ transform: @Sendable (T) -> R) -> [R] {
    let threads = max(1, min(threads, items.count))
    if threads == 1 { return items.map(transform) }
    let chunk = (items.count + threads - 1) / threads
    let results = Mutex<[Int: [R]]>([:])
    DispatchQueue.concurrentPerform(iterations: threads) { part in
        let start = part * chunk
        let end = min(items.count, start + chunk)
        guard start < end else { return }
        let mapped = items[start..<end].map(transform)
        results.withLock { $0[part] = mapped }
    }
    return results.withLock { parts in (0..<threads).flatMap { parts[$0] ?? [] } }
}
