import Testing
@testable import Classifier

@Suite struct MessageSignalsTests {
    static let signals = MessageSignals(language: AnalysisFixtures.languageIdentifier,
                                        tone: AnalysisFixtures.toneScorer, risk: AnalysisFixtures.lexicon)

    @Test func modelFileRoundTrip() throws {
        let file = ModelFile(sections: Self.signals.sections())
        let decoded = try MessageSignals(modelFile: ModelFile.decode(file.encode()))
        let scratch = FoldScratch()
        for text in ["Isso é golpe! Vou no Procon", "你们是骗子", "WHERE IS MY ORDER!!! scam", "ok"] {
            let a = Self.signals.analyze(text, scratch: scratch)
            let b = decoded.analyze(text, scratch: scratch)
            #expect(a.language == b.language && a.tone == b.tone && a.risks == b.risks)
        }
        #expect(throws: ModelFileError.self) { _ = try MessageSignals(modelFile: ModelFile(sections: [])) }
    }

    @Test func analyzeUsesTheIdentifiedLanguageForStrictTerms() {
        let scratch = FoldScratch()
        let pt = Self.signals.analyze("Isso foi um golpe, vou chamar a polícia e ir no Procon!", scratch: scratch)
        #expect(pt.language.code == "pt")
        #expect(Set(pt.risks.map(\.category)) == [.scam, .police, .consumerAgency])
        let es = Self.signals.analyze("La caja llegó con un golpe pero el producto funciona bien", scratch: scratch)
        #expect(es.language.code == "es")
        #expect(es.risks.isEmpty)
        let angry = Self.signals.analyze("PÉSIMO SERVICIO, SON UNOS ESTAFADORES!!!", scratch: scratch)
        #expect(angry.tone > 0.8 && angry.risks.contains { $0.category == .scam })
    }
}
