import Testing
@testable import Classifier

@Suite struct EvaluationTests {
    @Test func metricsOnAHandCase() {
        let report = EvaluationReport(
            expected: ["a", "a", "b", "other", "other"], predicted: ["a", "b", "b", "other", "a"],
            languages: ["en", "en", "es", "en", "de"], confidences: [0.9, 0.6, 0.8, 0.7, 0.5], labelSet: ["a", "b", "other"])
        #expect(report.accuracy == 0.6)
        let a = report.labels.first { $0.label == "a" }!
        #expect(a.precision == 0.5 && a.recall == 0.5)
        let b = report.labels.first { $0.label == "b" }!
        #expect(b.precision == 0.5 && b.recall == 1)
        #expect(report.otherRecall == 0.5)
        #expect(report.inScopeToOther == 0)
        #expect(report.languages.map(\.language) == ["de", "en", "es"])
        #expect(report.languages.first { $0.language == "en" }!.accuracy == 2.0 / 3)
        #expect(report.confusions.count == 2)
        #expect(abs(report.macroF1 - (0.5 + 2.0 / 3 + 2.0 / 3) / 3) < 1e-12)
        #expect(report.expectedCalibrationError > 0)
        #expect(report.render(title: "t").contains("macro-F1"))
    }

    @Test func heldOutSplitIsDeterministicAndAboutTwentyPercent() {
        let texts = (0..<2000).map { "message number \($0)" }
        let held = texts.filter { JSONLDataset.isHeldOut($0, percent: 20) }
        #expect(held.count > 300 && held.count < 500)
        #expect(held == texts.filter { JSONLDataset.isHeldOut($0, percent: 20) })
    }

    @Test func formatFixedRounds() {
        #expect(formatFixed(0.97749, digits: 3) == "0.977")
        #expect(formatFixed(1.5, digits: 0) == "2")
        #expect(formatFixed(-0.25, digits: 2) == "-0.25")
        #expect(formatFixed(0.05, digits: 3) == "0.050")
    }
}
