import Alerts
import Foundation
import Messages
import RPC
@testable import ReplyIntentService
import TenantStore
import Testing

/// StreamConversations: answers in order, per-item errors keep the stream going, corrections are
/// appended to the tenant's log, subscriptions forward alerts until the call is cancelled.
@Suite(.timeLimit(.minutes(1))) struct HandlerStreamTests {
    let harness: ServiceHarness

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    @Test func messagesAreAnsweredInOrderAndTheStreamEndsOK() async throws {
        let stream = harness.stream(token: ServiceFixture.otherToken)
        let texts = ["where is my order?", "hello", "I want a refund", "thank you so much", "can I pay with paypal?"]
        for (index, text) in texts.enumerated() { stream.message("id-\(index)", text) }
        let answers = try await stream.next(texts.count)
        #expect(answers.count == texts.count)
        for (index, answer) in answers.enumerated() {
            guard case .classification(let classification) = answer else {
                Issue.record("answer \(index) is \(answer)")
                continue
            }
            #expect(classification.messageID == "id-\(index)")
            #expect(classification.conversationID == "conv-id-\(index)")
        }
        guard case .success = await stream.finish() else {
            Issue.record("stream did not end OK")
            return
        }
        #expect(try await stream.next() == nil)
    }

    @Test func itemErrorsAreAnsweredAndTheStreamGoesOn() async throws {
        let stream = harness.stream(token: ServiceFixture.otherToken)
        stream.send(.message(BuyerMessage(text: "no id here")))
        stream.message("ok-1", "   ")
        stream.send(.message(BuyerMessage(messageID: "bad-platform", platform: .init(rawValue: 77), text: "hi")))
        stream.send(.subscribe(AlertSubscription(minPriority: .init(rawValue: 9))))
        stream.sendRaw([])  // a request with no item
        stream.message("ok-2", "where is my order?")
        let answers = try await stream.next(6)
        guard answers.count == 6 else {
            Issue.record("got \(answers)")
            return
        }
        func error(_ kind: StreamConversationsResponse.Kind) -> StreamItemError? {
            if case .error(let error) = kind { return error }
            return nil
        }
        #expect(error(answers[0])?.message.contains("message_id") == true)
        #expect(error(answers[0])?.code == 3)
        #expect(error(answers[1])?.messageID == "ok-1")
        #expect(error(answers[1])?.message.contains("whitespace") == true)
        #expect(error(answers[2])?.message.contains("platform") == true)
        #expect(error(answers[3])?.message.contains("min_priority") == true)
        #expect(error(answers[4])?.message.contains("no item") == true)
        guard case .classification(let last) = answers[5] else {
            Issue.record("last answer is \(answers[5])")
            return
        }
        #expect(last.messageID == "ok-2")
        guard case .success = await stream.finish() else {
            Issue.record("stream did not end OK")
            return
        }
    }

    @Test func invalidUTF8IsAnItemErrorButUndecodableBytesEndTheStream() async throws {
        let stream = harness.stream(token: ServiceFixture.otherToken)
        // StreamConversationsRequest { message (1) { text (5): C3 28 } }
        stream.sendRaw([0x0A, 0x04, 0x2A, 0x02, 0xC3, 0x28])
        let first = try await stream.next()
        guard case .error(let error)? = first else {
            Issue.record("got \(String(describing: first))")
            return
        }
        #expect(error.message.contains("message.text") && error.message.contains("UTF-8"))
        stream.sendRaw([0x0A, 0x09, 0x01])  // truncated
        guard case .failure(let failure) = await stream.outcome() else {
            Issue.record("undecodable request did not end the stream")
            return
        }
        #expect(failure.code == .invalidArgument)
        #expect(failure.message.contains("request is not a valid replyintent.v1.StreamConversationsRequest"))
    }

    @Test func correctionsAreAppendedBeforeTheyAreConfirmed() async throws {
        let directory = NSTemporaryDirectory() + "replyintent-corrections-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = try ServiceFixture.get().harness(corrections: CorrectionLog(layout: TenantLayout(tenantsDirectory: directory)))
        let stream = harness.stream(token: ServiceFixture.acmeToken)
        stream.message("m-1", "where is my order?")
        guard case .classification(let classification)? = try await stream.next() else {
            Issue.record("no classification")
            return
        }
        stream.send(.correction(AgentCorrection(messageID: "m-1", conversationID: "c-1", intent: "delivery_problem", agentID: "agent \"7\"")))
        guard case .correctionRecorded(let recorded)? = try await stream.next() else {
            Issue.record("no correction recorded")
            return
        }
        #expect(recorded.messageID == "m-1")
        #expect(recorded.previousIntent == classification.intent)
        #expect(recorded.correctedIntent == "delivery_problem")
        // The line is on disk by the time the confirmation arrives.
        let text = try String(contentsOfFile: directory + "/acme/corrections.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String]
        #expect(object?["tenant"] == "acme")
        #expect(object?["message_id"] == "m-1")
        #expect(object?["conversation_id"] == "c-1")
        #expect(object?["previous_intent"] == classification.intent)
        #expect(object?["corrected_intent"] == "delivery_problem")
        #expect(object?["agent_id"] == "agent \"7\"")
        #expect(object?["time"]?.hasSuffix("Z") == true)

        // A message this stream never answered has no previous intent; a label the model lacks is an item error.
        stream.send(.correction(AgentCorrection(messageID: "unknown", intent: "refund_request")))
        stream.send(.correction(AgentCorrection(messageID: "m-1", intent: "teleport")))
        stream.send(.correction(AgentCorrection(intent: "refund_request")))
        let answers = try await stream.next(3)
        guard answers.count == 3, case .correctionRecorded(let unknown) = answers[0],
            case .error(let badLabel) = answers[1], case .error(let noID) = answers[2]
        else {
            Issue.record("got \(answers)")
            return
        }
        #expect(unknown.previousIntent == "")
        #expect(badLabel.message.contains("'teleport' is not a label"))
        #expect(noID.message.contains("correction.message_id"))
        _ = await stream.finish()
        let after = try String(contentsOfFile: directory + "/acme/corrections.jsonl", encoding: .utf8)
        #expect(after.split(separator: "\n").count == 2)
    }

    @Test func aCorrectionThatCannotBeWrittenIsAnItemError() async throws {
        let harness = try ServiceFixture.get().harness(corrections: CorrectionLog(layout: TenantLayout(tenantsDirectory: nil)))
        let stream = harness.stream(token: ServiceFixture.acmeToken)
        stream.send(.correction(AgentCorrection(messageID: "m-1", intent: "refund_request")))
        stream.message("m-2", "hello")
        let answers = try await stream.next(2)
        guard answers.count == 2, case .error(let error) = answers[0], case .classification = answers[1] else {
            Issue.record("got \(answers)")
            return
        }
        #expect(error.code == 13)
        #expect(error.messageID == "m-1")
        #expect(error.message.contains("not recorded") && error.message.contains("tenants directory"))
        _ = await stream.finish()
    }

    @Test func aSubscriberGetsAlertsAndStaysOpenAfterHalfClose() async throws {
        let stream = harness.stream(token: ServiceFixture.acmeToken)
        stream.send(.subscribe(AlertSubscription()))
        guard case .subscribed(let started)? = try await stream.next() else {
            Issue.record("no SubscriptionStarted")
            return
        }
        #expect(started.nextSequence == 1)
        #expect(started.oldestBufferedSequence == 0)
        #expect(started.minPriority == .high)
        // Another caller of the same tenant raises an urgent alert.
        _ = try harness.classify("This is a scam, I'm calling the police and my lawyer", token: ServiceFixture.acmeToken, id: "x-1")
        guard case .alert(let alert)? = try await stream.next() else {
            Issue.record("no alert")
            return
        }
        #expect(alert.sequence == 1)
        #expect(alert.messageID == "x-1")
        #expect(alert.priority == .urgent)
        // Half-close: the subscriber stream stays open, alerts keep coming.
        stream.source.finish()
        _ = try harness.classify("Fraud! chargeback now, I'll sue you", token: ServiceFixture.acmeToken, id: "x-2")
        guard case .alert(let second)? = try await stream.next() else {
            Issue.record("no alert after half-close")
            return
        }
        #expect(second.messageID == "x-2")
        // A greeting is below the subscription's HIGH.
        _ = try harness.classify("hello!", token: ServiceFixture.acmeToken, id: "x-3")
        _ = try harness.classify("Fake product, I'm reporting you to the police", token: ServiceFixture.acmeToken, id: "x-4")
        guard case .alert(let fourth)? = try await stream.next() else {
            Issue.record("no fourth alert")
            return
        }
        #expect(fourth.messageID == "x-4")
        #expect(fourth.sequence == 4)
        // The client cancels: the call ends.
        stream.task.cancel()
        _ = await stream.outcome()
        #expect(harness.dependencies.alerts.subscriberCount(tenant: "acme") == 0)
    }

    @Test func aSecondSubscriptionReplacesTheFirst() async throws {
        let hub = harness.dependencies.alerts
        let stream = harness.stream(token: ServiceFixture.acmeToken)
        stream.send(.subscribe(AlertSubscription(minPriority: .low)))
        stream.send(.subscribe(AlertSubscription(minPriority: .low)))
        let started = try await stream.next(2)
        #expect(started.count == 2)
        #expect(hub.subscriberCount(tenant: "acme") == 1)
        stream.message("a", "hello")  // acme raises alerts from LOW: the stream's own message alerts too
        stream.message("b", "thanks")
        var alerts: [String] = []
        var classifications = 0
        while classifications < 2 || alerts.count < 2, let next = try await stream.next() {
            switch next {
            case .alert(let alert): alerts.append(alert.messageID)
            case .classification: classifications += 1
            default: Issue.record("unexpected \(next)")
            }
        }
        stream.task.cancel()
        while let next = try await stream.next() {
            if case .alert(let alert) = next { alerts.append(alert.messageID) }
        }
        #expect(alerts == ["a", "b"])
    }

    @Test func resumingReplaysBufferedAlerts() async throws {
        for id in ["r-1", "r-2", "r-3"] { _ = try harness.classify("hello", token: ServiceFixture.acmeToken, id: id) }
        let stream = harness.stream(token: ServiceFixture.acmeToken)
        stream.send(.subscribe(AlertSubscription(minPriority: .low, resumeAfterSequence: 1)))
        let answers = try await stream.next(3)
        guard answers.count == 3, case .subscribed(let started) = answers[0],
            case .alert(let second) = answers[1], case .alert(let third) = answers[2]
        else {
            Issue.record("got \(answers)")
            return
        }
        #expect(started.nextSequence == 4 && started.oldestBufferedSequence == 1)
        #expect(second.messageID == "r-2" && third.messageID == "r-3")
        stream.task.cancel()
        _ = await stream.outcome()
    }
}

/// Shutdown ends subscriber streams at once (UNAVAILABLE) instead of holding the drain.
@Suite(.timeLimit(.minutes(1))) struct HandlerStreamShutdownTests {
    @Test func shutdownEndsOpenStreamsAndRefusesNewOnes() async throws {
        let harness = try ServiceFixture.get().harness()
        let subscriber = harness.stream(token: ServiceFixture.acmeToken)
        subscriber.send(.subscribe(AlertSubscription()))
        guard case .subscribed? = try await subscriber.next() else {
            Issue.record("no SubscriptionStarted")
            return
        }
        subscriber.source.finish()  // half-closed: only the subscription keeps it open
        let idle = harness.stream(token: ServiceFixture.acmeToken)  // open, sends nothing
        idle.message("m", "hello")
        _ = try await idle.next()
        harness.dependencies.streams.shutdown()
        for stream in [subscriber, idle] {
            guard case .failure(let error) = await stream.outcome() else {
                Issue.record("stream did not end at shutdown")
                continue
            }
            #expect(error.code == .unavailable)
            #expect(error.message.contains("resume_after_sequence"))
        }
        #expect(harness.dependencies.alerts.subscriberCount(tenant: "acme") == 0)
        let late = harness.stream(token: ServiceFixture.acmeToken)
        guard case .failure(let error) = await late.outcome() else {
            Issue.record("a stream opened after shutdown was accepted")
            return
        }
        #expect(error.code == .unavailable)
    }
}
