import Synchronization

/// One subscription to a tenant's alerts: a cursor into the tenant's ring.
///
/// Single consumer: call `next()` from one task at a time (a second concurrent call returns nil at
/// once and leaves the subscription alone). `cancel()`, cancelling the task waiting in `next()`, or
/// releasing the subscriber ends the subscription and removes its registration from the hub.
public final class AlertSubscriber<Payload: Sendable>: Sendable {
    /// The sequence the tenant's next new alert had when this subscription started.
    public let nextSequenceAtStart: UInt64
    /// The oldest buffered sequence when this subscription started (0 when none).
    public let oldestBufferedAtStart: UInt64

    private let alerts: TenantAlerts<Payload>
    private let id: UInt64

    init(alerts: TenantAlerts<Payload>, id: UInt64, nextSequenceAtStart: UInt64, oldestBufferedAtStart: UInt64) {
        self.alerts = alerts
        self.id = id
        self.nextSequenceAtStart = nextSequenceAtStart
        self.oldestBufferedAtStart = oldestBufferedAtStart
    }

    deinit {
        cancel()
    }

    /// Next delivery at or above minPriority, in sequence order; a .gap first when the cursor fell out of the ring
    /// (resume too old, or the subscriber read too slowly). Suspends until one exists; nil once cancelled.
    ///
    /// Cancelling the calling task ends the subscription (as `cancel()`): `next()` returns nil
    /// then and from then on.
    public func next() async -> AlertDelivery<Payload>? {
        if Task.isCancelled {
            cancel()
            return nil
        }
        switch alerts.state.withLock({ $0.poll(id) }) {
        case .delivery(let delivery): return delivery
        case .ended: return nil
        case .nothingYet: break
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: TenantAlertState<Payload>.Waiter) in
                // If cancel() already ran (also from the handler below, which runs first when the
                // task is already cancelled), park finds no registration and answers nil at once;
                // otherwise the waiter is stored and the next cancel() or publish takes it.
                if let now = alerts.state.withLock({ $0.park(id, waiter) }) {
                    waiter.resume(returning: now)
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Ends the subscription: a waiting or later `next()` returns nil. Idempotent.
    public func cancel() {
        let waiter = alerts.state.withLock { $0.unsubscribe(id) }
        waiter?.resume(returning: nil)
    }
}
