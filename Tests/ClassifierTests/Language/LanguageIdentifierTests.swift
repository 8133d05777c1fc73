import Foundation
import Testing
@testable import Classifier

@Suite struct LanguageIdentifierTests {
    static let heldBack: [LanguageSample] = try! LanguageCorpus.loadSentences(
        directory: AnalysisFixtures.projectPath("Data/langid/test"))

    @Test func heldBackSentencesOfEveryLanguage() {
        let evaluation = AnalysisFixtures.languageIdentifier.evaluate(Self.heldBack)
        print("language held-back accuracy \(evaluation.summary)")
        for miss in evaluation.mistakes { print("  miss \(miss.expected)→\(miss.guess): \(miss.text)") }
        #expect(Set(evaluation.perLanguage.keys) == Set(LanguageIdentifier.supportedLanguages))
        #expect(evaluation.accuracy >= 0.95)
        for (language, result) in evaluation.perLanguage {
            #expect(result.total >= 15, "\(language) needs 15 held-back sentences")
            #expect(Double(result.correct) >= 0.8 * Double(result.total), "\(language): \(result.correct)/\(result.total)")
        }
    }

    @Test func heldBackSentencesAreNotInTheTrainingData() throws {
        let intents = AnalysisFixtures.sharedData.map { ($0 as NSString).appendingPathComponent("intents/train.jsonl") }
        let training = try LanguageCorpus.trainingSamples(projectDirectory: AnalysisFixtures.projectDirectory, intentsTrain: intents)
        let seen = Set(training.map { $0.text.lowercased() })
        let leaked = Self.heldBack.filter { seen.contains($0.text.lowercased()) }
        #expect(leaked.isEmpty, "held-back sentences found in training data: \(leaked.map(\.text))")
    }

    @Test(arguments: ["", "a", "ok", "!!", "👍👍", "12345", "?", "你"])
    func tooShortIsUndetermined(text: String) {
        let guess = AnalysisFixtures.languageIdentifier.identify(text)
        #expect(guess.code == "und", "\"\(text)\" → \(guess)")
    }

    @Test func scriptRules() {
        let identifier = AnalysisFixtures.languageIdentifier
        #expect(identifier.identify("ส่งของวันไหนคะ").code == "th")
        #expect(identifier.identify("배송 언제 되나요").code == "ko")
        #expect(identifier.identify("いつ届きますか").code == "ja")
        #expect(identifier.identify("什么时候发货").code == "zh")
        #expect(identifier.identify("注文の商品はまだですか").code == "ja")     // Han + kana
        #expect(identifier.identify("متى يصل الطلب").code == "ar")
        #expect(identifier.identify("Когда придёт заказ").code == "ru")
        #expect(identifier.identify("Тапсырысым қашан келеді").code == "kk")
        #expect(identifier.identify("iPhone 13 还有货吗").code == "zh")         // Latin product name inside
        #expect(identifier.identify("Bao giờ giao hàng vậy shop").code == "vi")
        let zh = identifier.identify("请问这个有货吗")
        #expect(zh.confidence > 0.8)
    }

    @Test func hintWinsWhenConsistentAndUnsure() {
        let identifier = AnalysisFixtures.languageIdentifier
        // Han-only text: Chinese by default, Japanese when the caller says so.
        #expect(identifier.identify("注文確認").code == "zh")
        #expect(identifier.identify("注文確認", hint: "ja").code == "ja")
        // A hint never overrides a script that rules it out.
        #expect(identifier.identify("สวัสดีครับ ส่งของยัง", hint: "en").code == "th")
        // Short, ambiguous Latin text: the hint decides.
        #expect(identifier.identify("pedido", hint: "pt-BR").code == "pt")
        #expect(identifier.identify("pedido", hint: "es").code == "es")
        // A clear sentence keeps its language whatever the hint.
        #expect(identifier.identify("Wo ist meine Bestellung? Ich warte schon zwei Wochen.", hint: "fr").code == "de")
        // Too short to tell, but a hint that fits is accepted.
        #expect(identifier.identify("ok", hint: "en").code == "en")
    }

    @Test func closePairsAreSeparated() {
        let identifier = AnalysisFixtures.languageIdentifier
        #expect(identifier.identify("Kak, barangnya kapan dikirim? Saya sudah bayar dari kemarin.").code == "id")
        #expect(identifier.identify("Bila barang saya nak sampai? Saya dah bayar semalam.").code == "ms")
        #expect(identifier.identify("Quero trocar o tamanho, por favor. Obrigada!").code == "pt")
        #expect(identifier.identify("Quiero cambiar la talla, por favor. ¡Gracias!").code == "es")
    }

    @Test func romanisedArabicIsArabic() {
        let identifier = AnalysisFixtures.languageIdentifier
        #expect(identifier.latinLanguages.contains("ar"))
        let guess = identifier.identify("ana 3ayez arga3 el montag, el size msh mazboot")
        #expect(guess.code == "ar", "\(guess)")
    }

    @Test func confidenceIsAProbability() {
        let identifier = AnalysisFixtures.languageIdentifier
        for sample in Self.heldBack.prefix(60) {
            let guess = identifier.identify(sample.text)
            #expect(guess.confidence >= 0 && guess.confidence <= 1)
        }
        let long = identifier.identify("Hello, I ordered a blue jacket last week and it still has not arrived, can you check?")
        #expect(long.code == "en" && long.confidence > 0.9)
    }

    @Test func serialisationRoundTrip() throws {
        let identifier = AnalysisFixtures.languageIdentifier
        var writer = ByteWriter()
        identifier.write(to: &writer)
        var reader = ByteReader(bytes: writer.bytes, section: LanguageIdentifier.sectionTag)
        let decoded = try LanguageIdentifier(reading: &reader)
        try reader.expectEnd()
        #expect(decoded.latinLanguages == identifier.latinLanguages)
        for sample in Self.heldBack {
            #expect(decoded.identify(sample.text) == identifier.identify(sample.text))
        }
        var truncated = ByteReader(bytes: Array(writer.bytes.prefix(100)), section: LanguageIdentifier.sectionTag)
        #expect(throws: ModelFileError.self) { _ = try LanguageIdentifier(reading: &truncated) }
    }

    @Test func concurrentIdentificationSharesOneModel() {
        let identifier = AnalysisFixtures.languageIdentifier
        let texts = Self.heldBack.map(\.text)
        let expected = texts.map { identifier.identify($0) }
        let results = ConcurrentResults(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let scratch = FoldScratch()
            var ok = true
            for (index, text) in texts.enumerated() where identifier.identify(text, hint: nil, scratch: scratch) != expected[index] {
                ok = false
            }
            results.set(worker, ok)
        }
        #expect(results.all)
    }

    @Test func hintNormalisation() {
        #expect(LanguageIdentifier.normalizeHint("pt-BR") == "pt")
        #expect(LanguageIdentifier.normalizeHint("EN_us") == "en")
        #expect(LanguageIdentifier.normalizeHint("english") == nil)
        #expect(LanguageIdentifier.normalizeHint(nil) == nil)
    }
}
