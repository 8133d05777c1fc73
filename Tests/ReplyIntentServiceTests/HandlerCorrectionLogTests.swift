import Foundation
import Glibc
import Messages
@testable import ReplyIntentService
import TenantStore
import Testing

/// The corrections log as the stream sees it: a full writer queue and a closed log become item
/// errors with a status a client can act on, and the stream goes on.
@Suite(.timeLimit(.minutes(2))) struct HandlerCorrectionLogTests {
    /// Polls `condition` every 10 ms for up to `seconds`.
    private func eventually(seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// acme's log is a FIFO nobody reads yet, so the writer is stuck opening it: one correction
    /// fills the queue (limit 1), the next is refused at once with RESOURCE_EXHAUSTED.
    @Test func aFullCorrectionsQueueIsAResourceExhaustedItemError() async throws {
        let directory = NSTemporaryDirectory() + "replyintent-corrections-queue-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/acme", withIntermediateDirectories: true)
        let fifo = directory + "/acme/corrections.jsonl"
        #expect(mkfifo(fifo, 0o600) == 0)
        let log = CorrectionLog(layout: TenantLayout(tenantsDirectory: directory), settings: CorrectionLogSettings(maxPendingCorrections: 1))
        let harness = try ServiceFixture.get().harness(corrections: log)

        // Should the test go wrong, a reader after 90 s unsticks the writer, so that it fails
        // instead of hanging (generous: a loaded parallel run can starve this task for a minute). (Readers stay open until the log is closed: a write to a FIFO
        // without one raises SIGPIPE.)
        let unstick = Task { () -> Int32 in
            try? await Task.sleep(for: .seconds(90))
            return Task.isCancelled ? -1 : open(fifo, O_RDONLY | O_NONBLOCK)
        }
        let stuck = harness.stream(token: ServiceFixture.acmeToken)
        stuck.send(.correction(AgentCorrection(messageID: "m-1", intent: "refund_request")))
        #expect(await eventually(seconds: 60) { log.pendingCorrections == 1 })

        let refused = harness.stream(token: ServiceFixture.acmeToken)
        refused.send(.correction(AgentCorrection(messageID: "m-2", intent: "refund_request")))
        refused.message("m-3", "hello")
        let answers = try await refused.next(2)
        if answers.count == 2, case .error(let error) = answers[0], case .classification = answers[1] {
            #expect(error.code == 8)  // RESOURCE_EXHAUSTED
            #expect(error.messageID == "m-2")
            #expect(error.message.contains("1 corrections are already waiting to be written"))
        } else {
            Issue.record("got \(answers)")
        }
        _ = await refused.finish()

        let reader = open(fifo, O_RDONLY | O_NONBLOCK)  // the writer's open(2) returns
        #expect(reader >= 0)
        if case .correctionRecorded(let recorded)? = try await stuck.next() {
            #expect(recorded.messageID == "m-1")
        } else {
            Issue.record("the queued correction was not recorded")
        }
        _ = await stuck.finish()
        log.close()
        unstick.cancel()
        let unstuck = await unstick.value
        if unstuck >= 0 { close(unstuck) }
        close(reader)
    }

    @Test func aCorrectionAfterTheLogClosedIsAnUnavailableItemError() async throws {
        let directory = NSTemporaryDirectory() + "replyintent-corrections-closed-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = CorrectionLog(layout: TenantLayout(tenantsDirectory: directory))
        log.close()
        let stream = try ServiceFixture.get().harness(corrections: log).stream(token: ServiceFixture.acmeToken)
        stream.send(.correction(AgentCorrection(messageID: "m-1", intent: "refund_request")))
        guard case .error(let error)? = try await stream.next() else {
            Issue.record("no item error")
            return
        }
        #expect(error.code == 14)  // UNAVAILABLE
        #expect(error.message.contains("shutting down"))
        _ = await stream.finish()
        #expect(!FileManager.default.fileExists(atPath: directory + "/acme/corrections.jsonl"))
    }
}
