import Dispatch
import Synchronization
import Testing
@testable import Classifier

@Suite struct MessageAnalyzerTests {
    static let analyzer = MessageAnalyzer(
        intents: TestModels.model,
        signals: MessageSignals(language: AnalysisFixtures.languageIdentifier, tone: AnalysisFixtures.toneScorer, risk: AnalysisFixtures.lexicon))
    let messages = ["where is my order", "I want a refund or I will leave a 1 star review", "hello", "我的订单在哪里",
                    "أين طلبي", "Hvor er min ordre? Jeg har ventet længe", "", "😡😡 scam seller"]

    @Test func wholeFileRoundTripGivesIdenticalAnalyses() throws {
        let bytes = Self.analyzer.encode()
        let loaded = try MessageAnalyzer.load(bytes: bytes)
        let a = AnalysisScratch(), b = AnalysisScratch()
        for text in messages {
            #expect(Self.analyzer.analyze(text: text, scratch: a) == loaded.analyze(text: text, scratch: b))
        }
        let sections = try ModelFile.decode(bytes).sections.map(\.tag)
        #expect(sections == ["META", "INTN", "LANG", "TONE", "RISK"])
    }

    @Test func intentOnlyFileIsRejectedWithAClearError() {
        #expect(throws: ModelFileError.self) { try MessageAnalyzer.load(bytes: TestModels.bytes) }
        do {
            _ = try MessageAnalyzer.load(bytes: TestModels.bytes)
        } catch {
            #expect(error.message.hasPrefix("model file has no LANG section"))
        }
    }

    @Test func analysisCombinesTheSignals() {
        let analysis = Self.analyzer.analyze(text: "where is my order")
        #expect(analysis.intent.intent == "order_status")
        #expect(analysis.language.code == "en")
        #expect(!analysis.unfamiliarLanguage)
        let threat = Self.analyzer.analyze(text: "refund now or I will leave a 1 star review and report you for scam")
        #expect(!threat.risks.isEmpty)
    }

    /// The tiny test model has 10+ in-scope rows only in English; a confidently identified
    /// language it never learnt intents in goes to `other`, with the intent ranking kept.
    @Test func unfamiliarLanguageGoesToOther() {
        #expect(Self.analyzer.inScopeLanguages == ["en"])
        let russian = Self.analyzer.analyze(text: "Где мой заказ? Я жду уже две недели, и никто мне не отвечает")
        #expect(russian.language.code == "ru")
        #expect(russian.unfamiliarLanguage)
        #expect(russian.intent.intent == "other")
        #expect(russian.intent.isOutOfScope)
        #expect(!russian.intent.top.isEmpty)
        let english = Self.analyzer.analyze(text: "where is my order? I have been waiting for two weeks")
        #expect(!english.unfamiliarLanguage)
        #expect(english.intent.intent == "order_status")
    }

    @Test func concurrentAnalysesAreIdentical() {
        let analyzer = Self.analyzer
        let texts = (0..<120).map { messages[$0 % messages.count] + " \($0 % 5)" }
        let expected = texts.map { analyzer.analyze(text: $0) }
        let mismatches = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            let scratch = AnalysisScratch()
            for index in texts.indices where (index + worker) % 3 != 0 {
                if analyzer.analyze(text: texts[index], scratch: scratch) != expected[index] { mismatches.add(1, ordering: .relaxed) }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }
}
