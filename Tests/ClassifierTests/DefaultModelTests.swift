import Foundation
import Testing
@testable import Classifier

/// The committed default model must load with this build (a format change in any section makes
/// this fail: retrain with Tools/train-default-model.sh) and answer sensibly.
@Suite struct DefaultModelTests {
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("models/default.rimodel").path
    }()

    @Test func loadsAndAnswers() throws {
        let analyzer = try MessageAnalyzer.load(path: Self.path)
        let meta = analyzer.intents.metadata
        #expect(meta.labels.count == 23)
        #expect(meta.labels.contains("other"))
        #expect((meta.metrics["dev.accuracy"] ?? 0) > 0.9)
        let scratch = AnalysisScratch()
        #expect(analyzer.analyze(text: "where is my order? it has been 2 weeks", scratch: scratch).intent.intent == "order_status")
        #expect(analyzer.analyze(text: "I want to cancel my order", scratch: scratch).intent.intent == "cancel_order")
        #expect(analyzer.analyze(text: "set an alarm for 6 am tomorrow", scratch: scratch).intent.intent == "other")
        let threat = analyzer.analyze(text: "refund me now or I leave a 1 star review and report you", scratch: scratch)
        #expect(!threat.risks.isEmpty)
        #expect(threat.language.code == "en")
    }
}
