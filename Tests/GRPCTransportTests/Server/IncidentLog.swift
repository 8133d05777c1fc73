import GRPCTransport
import Synchronization

/// Collects the incidents a test server reports (``ServerConfiguration/onIncident``), with when
/// the server reported each (server-side times: unaffected by a test task that runs late).
final class IncidentLog: Sendable {
    private let incidents = Mutex<[(TransportIncident, ContinuousClock.Instant)]>([])

    var all: [TransportIncident] { incidents.withLock { $0.map(\.0) } }

    func record(_ incident: TransportIncident) {
        let now = ContinuousClock.now
        incidents.withLock { $0.append((incident, now)) }
    }

    func of(_ kind: TransportIncident.Kind) -> [TransportIncident] {
        all.filter { $0.kind == kind }
    }

    /// When the first incident of `kind` was reported.
    func firstTime(of kind: TransportIncident.Kind) -> ContinuousClock.Instant? {
        incidents.withLock { $0.first { $0.0.kind == kind }?.1 }
    }
}
