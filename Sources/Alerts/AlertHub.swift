import Synchronization

/// Fans alerts out to each tenant's subscribers.
///
/// Each tenant has a bounded ring of its latest `bufferCapacity` alerts and a sequence counter
/// (from 1), both created on first use. Publishing appends to the ring and hands the alert to the
/// subscribers that are waiting for one; it never waits for a subscriber. A subscriber is a cursor
/// into the ring, so its queue is bounded by the ring: one that reads slowly only falls behind and
/// is told exactly what it lost with `.gap`, and never slows `publish` or the other subscribers.
public final class AlertHub<Payload: Sendable>: Sendable {
    public let bufferCapacity: Int
    /// Open subscriptions a tenant may have at once: publishing wakes each, so this bounds the
    /// work one alert costs.
    public let maxSubscribersPerTenant: Int
    private let tenants = Mutex<[String: TenantAlerts<Payload>]>([:])

    /// - Parameters:
    ///   - bufferCapacity: alerts kept per tenant for resuming and slow readers (at least 1).
    ///   - maxSubscribersPerTenant: open subscriptions per tenant (at least 1).
    public init(bufferCapacity: Int = 1024, maxSubscribersPerTenant: Int = 256) {
        self.bufferCapacity = max(1, bufferCapacity)
        self.maxSubscribersPerTenant = max(1, maxSubscribersPerTenant)
    }

    /// Assigns the tenant's next sequence (from 1, contiguous across priorities), buffers the alert
    /// and wakes the subscribers waiting for one at or above `priority`. O(1) in the buffer size;
    /// never blocks on subscribers. `makePayload` gets the sequence and runs under the tenant's lock:
    /// keep it cheap and do not call the hub from it.
    @discardableResult
    public func publish(tenant: String, priority: Int, _ makePayload: (UInt64) -> Payload) -> UInt64 {
        let alerts = self.alerts(for: tenant)
        let (sequence, wake) = alerts.state.withLock { state in
            state.publish(priority: priority, makePayload)
        }
        for (waiter, delivery) in wake { waiter.resume(returning: delivery) }
        return sequence
    }

    /// Subscribes to the tenant's alerts at or above `minPriority`.
    ///
    /// - `resumeAfter == 0`: only alerts published after this call.
    /// - `0 < resumeAfter <= newest`: first the buffered alerts with a sequence above `resumeAfter`;
    ///   when `resumeAfter + 1` is older than the oldest buffered alert, a `.gap(first: resumeAfter + 1,
    ///   last: oldest - 1)` comes first.
    /// - `resumeAfter > newest` (a number from an earlier life of the server, whose sequences
    ///   restarted at 1): as 0, only new alerts, and no gap (nothing known was missed).
    ///
    /// Throws ``TooManySubscribers`` when the tenant already has `maxSubscribersPerTenant`.
    public func subscribe(tenant: String, minPriority: Int, resumeAfter: UInt64) throws(TooManySubscribers)
        -> AlertSubscriber<Payload>
    {
        let alerts = self.alerts(for: tenant)
        let limit = maxSubscribersPerTenant
        let registered = alerts.state.withLock { state -> (UInt64, UInt64, UInt64)? in
            guard state.subscriberCount < limit else { return nil }
            return state.subscribe(minPriority: minPriority, resumeAfter: resumeAfter)
        }
        guard let (id, nextSequence, oldest) = registered else { throw TooManySubscribers(limit: limit) }
        return AlertSubscriber(
            alerts: alerts, id: id, nextSequenceAtStart: nextSequence, oldestBufferedAtStart: oldest)
    }

    /// The sequence the tenant's next alert will get and its oldest buffered one (0 when none).
    /// A tenant never seen gives (1, 0) and is not created.
    public func stats(tenant: String) -> (nextSequence: UInt64, oldestBuffered: UInt64) {
        guard let alerts = tenants.withLock({ $0[tenant] }) else { return (1, 0) }
        return alerts.state.withLock { ($0.ring.nextSequence, $0.ring.oldest) }
    }

    /// How many subscribers the tenant has right now (registrations not yet cancelled or released).
    public func subscriberCount(tenant: String) -> Int {
        guard let alerts = tenants.withLock({ $0[tenant] }) else { return 0 }
        return alerts.state.withLock { $0.subscriberCount }
    }

    /// How many of the tenant's subscribers are suspended in `next()` right now.
    public func waitingSubscriberCount(tenant: String) -> Int {
        guard let alerts = tenants.withLock({ $0[tenant] }) else { return 0 }
        return alerts.state.withLock { $0.parkedCount }
    }

    private func alerts(for tenant: String) -> TenantAlerts<Payload> {
        tenants.withLock { tenants in
            if let existing = tenants[tenant] { return existing }
            let created = TenantAlerts<Payload>(capacity: bufferCapacity)
            tenants[tenant] = created
            return created
        }
    }
}

/// One tenant's state behind its own lock, so tenants never contend with each other.
final class TenantAlerts<Payload: Sendable>: Sendable {
    let state: Mutex<TenantAlertState<Payload>>

    init(capacity: Int) {
        state = Mutex(TenantAlertState(capacity: capacity))
    }
}

/// A tenant already has as many open alert subscriptions as the hub allows.
public struct TooManySubscribers: Error, Sendable, Equatable {
    public let limit: Int
}
