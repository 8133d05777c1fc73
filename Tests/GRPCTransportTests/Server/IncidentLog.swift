import GRPCTransport
import Synchronization

/// Collects the incidents a test server reports (``ServerConfiguration/onIncident``).
final class IncidentLog: Sendable {
    private let incidents = Mutex<[TransportIncident]>([])

    var all: [TransportIncident] { incidents.withLock { $0 } }

    func record(_ incident: TransportIncident) {
        incidents.withLock { $0.append(incident) }
    }

    func of(_ kind: TransportIncident.Kind) -> [TransportIncident] {
        all.filter { $0.kind == kind }
    }
}
