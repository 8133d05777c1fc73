import Logging
import Messages
import RPC
import ReplyIntentService
import Testing

/// One debug line per call, and never the message text unless the server was told to log it.
@Suite struct HandlerLoggingTests {
    static let secret = "please find my parcel zebra-4471 quickly"

    @Test func callsAreLoggedWithoutTheirText() throws {
        let (logger, lines) = CapturingLogHandler.logger()
        let harness = try ServiceFixture.get().harness(logger: logger)
        _ = try harness.classify(Self.secret, token: ServiceFixture.acmeToken)
        _ = harness.failure(
            ServiceHarness.service + "ClassifyIntent",
            ClassifyIntentRequest(message: BuyerMessage(text: Self.secret), topK: 99), token: ServiceFixture.acmeToken)
        _ = try harness.call(
            ServiceHarness.service + "SuggestReply", SuggestReplyRequest(message: BuyerMessage(text: Self.secret)),
            token: ServiceFixture.acmeToken, as: SuggestReplyResponse.self)
        let all = lines.all
        #expect(all.count == 3)
        #expect(all.allSatisfy { !$0.contains("zebra") })
        #expect(all[0].contains("rpc=ClassifyIntent") && all[0].contains("tenant=acme") && all[0].contains("intent="))
        #expect(all[0].contains("latency_us=") && all[0].contains("priority=") && all[0].contains("model=acme/support"))
        #expect(all[1].contains("status=INVALID_ARGUMENT"))
        #expect(all[2].contains("rpc=SuggestReply") && all[2].contains("decision="))
    }

    @Test func theTextIsLoggedOnlyWhenAskedFor() throws {
        let (logger, lines) = CapturingLogHandler.logger()
        let harness = try ServiceFixture.get().harness(logger: logger, logMessageText: true)
        _ = try harness.classify(Self.secret, token: ServiceFixture.acmeToken)
        #expect(lines.all.contains { $0.contains("zebra-4471") })
    }

    @Test func atInfoLevelUnaryCallsLogNothing() throws {
        let (logger, lines) = CapturingLogHandler.logger(level: .info)
        let harness = try ServiceFixture.get().harness(logger: logger)
        _ = try harness.classify(Self.secret, token: ServiceFixture.acmeToken)
        #expect(lines.all.isEmpty)
    }
}
