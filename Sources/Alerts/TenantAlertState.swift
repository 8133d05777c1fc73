/// One tenant's alert state: the ring plus one cursor per subscriber. Pure value logic; the
/// hub keeps it inside a `Mutex`, so every method here runs under that lock and must stay short.
///
/// A subscriber's cursor is the first sequence it has not examined yet. Reading never copies the
/// ring: a subscriber that reads slowly only lets its cursor fall below `ring.oldest`, and its next
/// read reports exactly `cursor ... oldest - 1` as a gap.
struct TenantAlertState<Payload: Sendable>: Sendable {
    typealias Waiter = CheckedContinuation<AlertDelivery<Payload>?, Never>

    struct Subscriber: Sendable {
        var cursor: UInt64
        let minPriority: Int
        /// Set while the subscriber's `next()` is suspended. Only ever resumed by whoever removes it
        /// from here under the lock, so it is resumed exactly once.
        var waiter: Waiter?
    }

    /// What a non-blocking read found.
    enum Poll: Sendable {
        case delivery(AlertDelivery<Payload>)
        case nothingYet
        case ended
    }

    private(set) var ring: AlertRing<Payload>
    private var subscribers: [UInt64: Subscriber] = [:]
    /// Ids of subscribers with a stored waiter (a subset of `subscribers`).
    private var parked: Set<UInt64> = []
    private var nextSubscriberID: UInt64 = 0

    init(capacity: Int) {
        ring = AlertRing(capacity: capacity)
    }

    var subscriberCount: Int { subscribers.count }
    var parkedCount: Int { parked.count }

    // MARK: Publishing

    /// Appends the alert and hands it straight to every parked subscriber that wants it. Returns
    /// the sequence and the waiters to resume (the caller resumes them after leaving the lock).
    mutating func publish(
        priority: Int, _ makePayload: (UInt64) -> Payload
    ) -> (sequence: UInt64, wake: [(Waiter, AlertDelivery<Payload>)]) {
        let entry = ring.append(priority: priority, makePayload)
        guard !parked.isEmpty else { return (entry.sequence, []) }
        var wake: [(Waiter, AlertDelivery<Payload>)] = []
        var woken: [UInt64] = []
        let delivery = AlertDelivery<Payload>.alert(
            sequence: entry.sequence, priority: entry.priority, payload: entry.payload)
        for id in parked {
            guard var subscriber = subscribers[id], priority >= subscriber.minPriority,
                let waiter = subscriber.waiter
            else { continue }
            // A parked subscriber had read everything up to the moment it parked, and every alert
            // published since then was below its priority (else it would have been woken), so
            // this alert is the next one it wants.
            subscriber.waiter = nil
            subscriber.cursor = entry.sequence + 1
            subscribers[id] = subscriber
            wake.append((waiter, delivery))
            woken.append(id)
        }
        parked.subtract(woken)
        return (entry.sequence, wake)
    }

    // MARK: Subscribing

    /// Registers a subscriber; see `AlertHub.subscribe` for the meaning of `resumeAfter`.
    mutating func subscribe(
        minPriority: Int, resumeAfter: UInt64
    ) -> (id: UInt64, nextSequence: UInt64, oldestBuffered: UInt64) {
        let cursor: UInt64
        if resumeAfter == 0 || resumeAfter > ring.newest {
            // 0: only new alerts. Beyond the newest: the client saw numbers from an earlier life of
            // the server (sequences restart at 1); nothing it could have missed is known, start now.
            cursor = ring.nextSequence
        } else {
            cursor = resumeAfter + 1
        }
        let id = nextSubscriberID
        nextSubscriberID += 1
        subscribers[id] = Subscriber(cursor: cursor, minPriority: minPriority, waiter: nil)
        return (id, ring.nextSequence, ring.oldest)
    }

    /// Removes the subscriber; returns its waiter, if it was parked, for the caller to resume with nil.
    mutating func unsubscribe(_ id: UInt64) -> Waiter? {
        parked.remove(id)
        return subscribers.removeValue(forKey: id)?.waiter
    }

    // MARK: Reading

    /// The subscriber's next delivery without waiting: a gap when its cursor fell out of the ring,
    /// else the next buffered alert at or above its priority (skipping the ones below).
    mutating func poll(_ id: UInt64) -> Poll {
        guard var subscriber = subscribers[id] else { return .ended }
        defer { subscribers[id] = subscriber }
        if subscriber.cursor >= ring.nextSequence { return .nothingYet }
        let oldest = ring.oldest
        if subscriber.cursor < oldest {
            let gap = AlertDelivery<Payload>.gap(first: subscriber.cursor, last: oldest - 1)
            subscriber.cursor = oldest
            return .delivery(gap)
        }
        while subscriber.cursor < ring.nextSequence {
            let sequence = subscriber.cursor
            subscriber.cursor += 1
            if let entry = ring.entry(sequence), entry.priority >= subscriber.minPriority {
                return .delivery(.alert(sequence: sequence, priority: entry.priority, payload: entry.payload))
            }
        }
        return .nothingYet
    }

    /// Polls once more; when there is still nothing, stores `waiter` to be resumed by a later
    /// `publish` or `unsubscribe`. Returns what to resume `waiter` with right away otherwise
    /// (`.some(nil)` = ended), or nil when it was stored.
    mutating func park(_ id: UInt64, _ waiter: Waiter) -> AlertDelivery<Payload>?? {
        switch poll(id) {
        case .delivery(let delivery): return .some(delivery)
        case .ended: return .some(nil)
        case .nothingYet: break
        }
        guard subscribers[id]?.waiter == nil else {
            // A second concurrent next() on one subscriber: single consumer only. Answer it with
            // nil rather than lose the first waiter.
            return .some(nil)
        }
        subscribers[id]?.waiter = waiter
        parked.insert(id)
        return nil
    }
}
