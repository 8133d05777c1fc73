import Alerts
import Messages
import RPC
@testable import ReplyIntentService
import Testing

/// ClassifyIntent, SuggestReply and a StreamConversations message item all run the one
/// ClassificationPipeline: the same message gets the same classification from each, and raises
/// exactly one alert per call.
@Suite(.timeLimit(.minutes(1))) struct ClassificationPipelineTests {
    let harness: ServiceHarness

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    @Test func everyRPCGivesTheSameClassificationAndOneAlertPerMessage() async throws {
        let message = BuyerMessage(
            messageID: "same-1", conversationID: "conv-1", buyerID: "buyer-1", platform: .shopee,
            text: "Fraud! I'm opening a dispute and a chargeback right now")
        let hub = harness.dependencies.alerts
        let subscriber = try hub.subscribe(tenant: "other", minPriority: 0, resumeAfter: 0)
        defer { subscriber.cancel() }

        let classified = try #require(
            try harness.call(
                ServiceHarness.service + "ClassifyIntent", ClassifyIntentRequest(message: message),
                token: ServiceFixture.otherToken, as: ClassifyIntentResponse.self
            ).classification)
        #expect(hub.stats(tenant: "other").nextSequence == 2)

        let suggested = try #require(
            try harness.call(
                ServiceHarness.service + "SuggestReply", SuggestReplyRequest(message: message),
                token: ServiceFixture.otherToken, as: SuggestReplyResponse.self
            ).classification)
        #expect(hub.stats(tenant: "other").nextSequence == 3)

        let stream = harness.stream(token: ServiceFixture.otherToken)
        stream.send(.message(message))
        let answers = try await stream.next(1)
        guard case .classification(let streamed)? = answers.first else {
            Issue.record("the stream answered \(answers)")
            return
        }
        guard case .success = await stream.finish() else {
            Issue.record("stream did not end OK")
            return
        }
        #expect(hub.stats(tenant: "other").nextSequence == 4)

        #expect(classified.priority.rawValue >= 3)  // HIGH or more: the default policy raises an alert
        #expect(suggested == classified)
        #expect(streamed == classified)
        for expected in UInt64(1)...3 {
            guard case .alert(let sequence, _, let alert)? = await subscriber.next() else {
                Issue.record("alert \(expected) was not delivered")
                return
            }
            #expect(sequence == expected)
            #expect(alert.messageID == "same-1" && alert.conversationID == "conv-1" && alert.buyerID == "buyer-1")
            #expect(alert.intent == classified.intent && alert.priority == classified.priority)
            #expect(alert.reasons == classified.priorityReasons)
        }
    }
}
