internal import Alerts
internal import Messages
internal import RPC

/// Forwards one subscription's deliveries to the stream until it is cancelled (replaced, or the
/// call ended) or the stream is gone.
enum AlertForwarding {
    static func forward(_ subscriber: AlertSubscriber<Alert>, to writer: any ResponseStreamWriter) async throws {
        try await withTaskCancellationHandler {
            while let delivery = await subscriber.next() {
                var response = StreamConversationsResponse()
                switch delivery {
                case .alert(_, _, let alert):
                    response.kind = .alert(alert)
                case .gap(let first, let last):
                    var gap = AlertGap()
                    gap.firstMissedSequence = first
                    gap.lastMissedSequence = last
                    response.kind = .gap(gap)
                }
                try await writer.send(response.serializedBytes())
            }
        } onCancel: {
            subscriber.cancel()
        }
    }
}
