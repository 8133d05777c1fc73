// TEMPORARY (service helper): overhead measurement, printed only; deleted before the report.
import Classifier
import Foundation
import Messages
import ModelCache
import RPC
import ReplyIntentService
import Testing

@Suite struct HandlerTemporaryBench {
    @Test func printOverhead() throws {
        guard ProcessInfo.processInfo.environment["SERVICE_BENCH"] != nil else { return }
        let harness = try ServiceFixture.get().harness()
        let texts = ["where is my order?", "I want a refund for the broken item", "hello", "can I pay with paypal?"]
        let requests = texts.map { ClassifyIntentRequest(message: BuyerMessage(messageID: "m1", conversationID: "c1", text: $0)).serializedBytes() }
        let path = ServiceHarness.service + "ClassifyIntent"
        guard case .success(.unary(let handler)) = harness.router.resolve(path) else { return }
        for (label, token) in [("tokens", ServiceFixture.otherToken)] {
            let context = UnaryContext(info: ServiceHarness.info(path, token: token), requestWasCompressed: false)
            let n = 40_000
            for i in 0..<2000 { _ = try handler(requests[i & 3], context) }
            var start = ContinuousClock.now
            for i in 0..<n { _ = try handler(requests[i & 3], context) }
            let handlerTime = ContinuousClock.now - start
            let analyzer = harness.dependencies.models.snapshot(tenant: "other", name: "default")!.analyzer
            let scratch = AnalysisScratch()
            start = ContinuousClock.now
            for i in 0..<n { _ = analyzer.analyze(text: texts[i & 3], languageHint: nil, scratch: scratch, topK: 3) }
            let analyzeTime = ContinuousClock.now - start
            print("BENCH \(label) handler \(handlerTime / n) per call, analyze \(analyzeTime / n) per call")
        }
        let single = try ServiceFixture.get().harness(authentication: .singleTenant)
        guard case .success(.unary(let singleHandler)) = single.router.resolve(path) else { return }
        let context = UnaryContext(info: ServiceHarness.info(path, token: nil), requestWasCompressed: false)
        for i in 0..<2000 { _ = try singleHandler(requests[i & 3], context) }
        let start = ContinuousClock.now
        for i in 0..<40_000 { _ = try singleHandler(requests[i & 3], context) }
        print("BENCH single-tenant handler \((ContinuousClock.now - start) / 40_000) per call")
    }
}
