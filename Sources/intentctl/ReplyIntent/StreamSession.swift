internal import Messages
internal import RPC
internal import Synchronization

/// One `intentctl stream` run over a `StreamConversations` call: sends the subscription (if
/// any) and the input lines while printing every response as one JSON line as it arrives.
///
/// Ends when the server ends the call, or, with a subscription, after `maxAlerts` alerts or
/// `duration` (the call is then cancelled, which is a normal end).
struct StreamSession: Sendable {
    var subscription: AlertSubscription?
    var maxAlerts: Int?
    var duration: Duration?
    /// Writes one line to stdout (flushed: a reader of the pipe sees each answer at once).
    var output: @Sendable (String) -> Void
    /// Writes one line to stderr.
    var report: @Sendable (String) -> Void

    struct Outcome: Sendable, Equatable {
        /// The call's failure; nil when it ended OK or this side ended it on purpose.
        var failure: RPCError?
        var sentItems = 0
        var skippedLines = 0
        var responses = 0
        var alerts = 0
    }

    func run(_ call: ConversationCall, input: InputLines?) async -> Outcome {
        let stoppedOnPurpose = StopFlag()
        var outcome = Outcome()
        let counts = await withTaskGroup(of: (sent: Int, skipped: Int).self) { group in
            group.addTask { await send(on: call, input: input) }
            if let duration {
                group.addTask {
                    do {
                        try await Task.sleep(for: duration)
                        stoppedOnPurpose.set()
                        call.cancel()
                    } catch {}  // cancelled: the session ended first
                    return (0, 0)
                }
            }
            do {
                while let response = try await call.receive() {
                    outcome.responses += 1
                    output(MessageJSON.streamResponse(response).serialized)
                    guard case .alert = response.kind else { continue }
                    outcome.alerts += 1
                    if let maxAlerts, outcome.alerts >= maxAlerts {
                        stoppedOnPurpose.set()
                        call.cancel()
                        break
                    }
                }
            } catch {
                if !stoppedOnPurpose.isSet { outcome.failure = RPCError(wrapping: error) }
            }
            input?.stop()
            group.cancelAll()
            var total = (sent: 0, skipped: 0)
            for await counts in group {
                total.sent += counts.sent
                total.skipped += counts.skipped
            }
            return total
        }
        outcome.sentItems = counts.sent
        outcome.skippedLines = counts.skipped
        return outcome
    }

    /// The sending side: the subscription, then each input line that parses (the others are
    /// reported with their line numbers), then a half-close. Stops quietly once the call ended:
    /// the receiving side reports why.
    private func send(on call: ConversationCall, input: InputLines?) async -> (sent: Int, skipped: Int) {
        var sent = 0
        var skipped = 0
        do {
            if let subscription {
                try await call.send(StreamConversationsRequest(kind: .subscribe(subscription)))
                sent += 1
            }
            if let input {
                for await line in input.lines {
                    defer { input.consumed() }
                    switch line {
                    case .text(let number, let text):
                        do {
                            guard let request = try StreamInput.request(fromLine: text, lineNumber: number) else { continue }
                            try await call.send(request)
                            sent += 1
                        } catch let error as StreamInput.LineError {
                            report("intentctl: \(error); line skipped")
                            skipped += 1
                        }
                    case .unreadable(let number, let reason):
                        report("intentctl: line \(number): \(reason); line skipped")
                        skipped += 1
                    case .failed(let reason):
                        report("intentctl: \(reason); the rest of the input is not sent")
                        skipped += 1  // counted so the exit status says the input was not all sent
                    }
                }
            }
            if !Task.isCancelled { call.closeSend() }
        } catch {
            // The call ended; its status is the receiver's to report.
        }
        return (sent, skipped)
    }
}

/// Set once when this side ends the call on purpose (enough alerts, time up).
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
