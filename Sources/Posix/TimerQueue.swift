/// Identifies a scheduled timer, for ``EventLoop/cancel(_:)``.
public struct TimerID: Sendable, Hashable {
    let value: UInt64
}

/// The loop's timers: a binary min-heap of (deadline, id) plus the pending work by id.
///
/// Cancelling removes the work only (O(1)); its heap entry is skipped when it reaches the top.
/// When stale entries outnumber live ones the heap is rebuilt, so a server that arms and cancels
/// a deadline timer per call keeps a small heap. Ties fire in scheduling order.
struct TimerQueue {
    private struct Entry {
        var deadline: UInt64
        var id: UInt64
        func before(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && id < other.id)
        }
    }

    private var heap: [Entry] = []
    private var work: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    var isEmpty: Bool { work.isEmpty }
    var count: Int { work.count }

    mutating func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> TimerID {
        let id = nextID
        nextID += 1
        work[id] = body
        push(Entry(deadline: deadline, id: id))
        return TimerID(value: id)
    }

    /// Returns whether the timer was still pending.
    @discardableResult
    mutating func cancel(_ timer: TimerID) -> Bool {
        guard work.removeValue(forKey: timer.value) != nil else { return false }
        if heap.count > 64 && heap.count > 2 * work.count { compact() }
        return true
    }

    /// The earliest live deadline.
    mutating func nextDeadline() -> UInt64? {
        while let top = heap.first {
            if work[top.id] != nil { return top.deadline }
            pop()
        }
        return nil
    }

    /// Removes and returns the work of the earliest timer due at `now`, if any.
    mutating func popDue(now: UInt64) -> (() -> Void)? {
        while let top = heap.first, top.deadline <= now {
            pop()
            if let body = work.removeValue(forKey: top.id) { return body }
        }
        return nil
    }

    mutating func removeAll() {
        heap.removeAll()
        work.removeAll()
    }

    private mutating func compact() {
        heap.removeAll { work[$0.id] == nil }
        // Heapify bottom-up.
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].before(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            if left >= heap.count { return }
            let right = left + 1
            var smallest = left
            if right < heap.count && heap[right].before(heap[left]) { smallest = right }
            guard heap[smallest].before(heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
