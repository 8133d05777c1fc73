internal import Synchronization

/// The open-connection bounds of one ``GRPCServer``, shared by all of its loops: at most
/// `maxConnections` at once, and at most `maxConnectionsPerPeer` from one client IP address.
/// ``admit(_:)`` counts a connection at accept, ``release(_:)`` when it closes. Neither ever
/// waits for more than the few instructions under the lock.
final class ConnectionLimits: Sendable {
    /// Which bound a refused connection would have broken.
    enum Refusal: Sendable {
        case server
        case peer

        /// The GOAWAY debug text (h2c) and the start of the incident's detail.
        var debugText: String {
            switch self {
            case .server: "too many connections to this server"
            case .peer: "too many connections from this address"
            }
        }
    }

    let maxConnections: Int
    let maxConnectionsPerPeer: Int
    private let open = Atomic<Int>(0)
    /// Open connections per client address; only addresses with one open are kept, so the
    /// table is never larger than `maxConnections`.
    private let perPeer = Mutex<[String: Int]>([:])

    init(maxConnections: Int, maxConnectionsPerPeer: Int) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerPeer = maxConnectionsPerPeer
    }

    /// Connections open now (all loops).
    var openConnections: Int { open.load(ordering: .relaxed) }

    /// Counts a new connection from `address` (see ``address(ofPeer:)``), or returns the bound
    /// it would break; a refused connection is not counted.
    func admit(_ address: String) -> Refusal? {
        let (_, total) = open.wrappingAdd(1, ordering: .relaxed)
        if total > maxConnections {
            open.wrappingSubtract(1, ordering: .relaxed)
            return .server
        }
        let admitted = perPeer.withLock { counts -> Bool in
            let current = counts[address, default: 0]
            guard current < maxConnectionsPerPeer else { return false }
            counts[address] = current + 1
            return true
        }
        if !admitted {
            open.wrappingSubtract(1, ordering: .relaxed)
            return .peer
        }
        return nil
    }

    /// A connection counted by ``admit(_:)`` closed.
    func release(_ address: String) {
        open.wrappingSubtract(1, ordering: .relaxed)
        perPeer.withLock { counts in
            guard let current = counts[address] else { return }
            counts[address] = current > 1 ? current - 1 : nil
        }
    }

    /// The client IP address of a peer string: `127.0.0.1:5300` → `127.0.0.1`,
    /// `[::1]:5300` → `::1`.
    static func address(ofPeer peer: String) -> String {
        if peer.hasPrefix("["), let end = peer.firstIndex(of: "]") {
            return String(peer[peer.index(after: peer.startIndex)..<end])
        }
        if let colon = peer.lastIndex(of: ":") { return String(peer[..<colon]) }
        return peer
    }
}
