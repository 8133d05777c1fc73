internal import Synchronization

/// The bounds every connection of one ``GRPCServer`` shares: request bytes buffered and unary
/// calls sent off the event loops, process-wide. Lock-free counters, taken on the loops.
final class ServerBudgets: Sendable {
    let maxBufferedRequestBytes: Int
    let maxOffloadedCalls: Int
    private let bufferedRequestBytes = Atomic<Int>(0)
    private let offloadedCalls = Atomic<Int>(0)
    private let nextConnectionID = Atomic<UInt64>(0)

    init(configuration: ServerConfiguration) {
        maxBufferedRequestBytes = configuration.maxBufferedRequestBytes
        maxOffloadedCalls = configuration.maxOffloadedCalls
    }

    /// Counts `bytes` more buffered request bytes; false (and nothing counted) past the limit.
    func reserveRequestBytes(_ bytes: Int) -> Bool {
        let total = bufferedRequestBytes.add(bytes, ordering: .relaxed).newValue
        if total > maxBufferedRequestBytes {
            bufferedRequestBytes.subtract(bytes, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseRequestBytes(_ bytes: Int) {
        bufferedRequestBytes.subtract(bytes, ordering: .relaxed)
    }

    /// Counts one more call running off the loops; false when `maxOffloadedCalls` are.
    func beginOffload() -> Bool {
        let running = offloadedCalls.add(1, ordering: .relaxed).newValue
        if running > maxOffloadedCalls {
            offloadedCalls.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func endOffload() {
        offloadedCalls.subtract(1, ordering: .relaxed)
    }

    /// A process-unique id for a new connection (``ServerCallInfo/connectionID``).
    func makeConnectionID() -> UInt64 {
        nextConnectionID.add(1, ordering: .relaxed).newValue
    }
}
