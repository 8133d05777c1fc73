internal import Synchronization

/// How many streams of each client connection hold an alert subscription, so one connection
/// cannot open a tenant's whole subscriber allowance (``ServiceLimits/maxSubscribersPerConnection``).
final class ConnectionSubscribers: Sendable {
    private let counts = Mutex<[UInt64: Int]>([:])

    /// Takes a slot for one more subscribed stream on `connection`; false when it has `limit`.
    func acquire(_ connection: UInt64, limit: Int) -> Bool {
        counts.withLock { counts in
            let current = counts[connection, default: 0]
            guard current < limit else { return false }
            counts[connection] = current + 1
            return true
        }
    }

    func release(_ connection: UInt64) {
        counts.withLock { counts in
            let remaining = counts[connection, default: 1] - 1
            counts[connection] = remaining > 0 ? remaining : nil
        }
    }

    /// Subscribed streams of `connection` now (tests).
    func count(_ connection: UInt64) -> Int { counts.withLock { $0[connection, default: 0] } }
}
