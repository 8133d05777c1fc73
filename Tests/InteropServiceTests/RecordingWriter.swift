import RPC
import Synchronization

/// A fake transport side of a streaming call: records what the handler sends and lets a
/// test await each event as it happens.
final class RecordingWriter: ResponseStreamWriter {
    enum Event: Sendable, Equatable {
        case initialMetadata(Metadata)
        case message([UInt8], compressed: Bool)
    }

    private let recorded = Mutex<[Event]>([])
    let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    init() {
        (events, continuation) = AsyncStream.makeStream()
    }

    var all: [Event] { recorded.withLock { $0 } }

    var messages: [(bytes: [UInt8], compressed: Bool)] {
        all.compactMap { event in
            if case .message(let bytes, let compressed) = event { return (bytes, compressed) }
            return nil
        }
    }

    func sendInitialMetadata(_ metadata: Metadata) async throws {
        record(.initialMetadata(metadata))
    }

    func send(_ message: [UInt8], compress: Bool) async throws {
        record(.message(message, compressed: compress))
    }

    private func record(_ event: Event) {
        recorded.withLock { $0.append(event) }
        continuation.yield(event)
    }
}
