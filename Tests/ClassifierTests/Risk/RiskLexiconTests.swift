import Foundation
import Testing
@testable import Classifier

@Suite struct RiskLexiconTests {
    let lexicon = AnalysisFixtures.lexicon

    /// (message language, message, expected category) — at least two per supported language.
    static let expectedHits: [(String, String, RiskCategory)] = [
        ("en", "If you don't refund me I'm leaving a bad review", .badReview),
        ("en", "I will file a chargeback with my bank", .chargeback),
        ("en", "This is a SCAM, the watch is fake", .scam),
        ("en", "Report to TikTok is next", .reportPlatform),
        ("en", "my lawyer will contact you", .lawyer),
        ("es", "Voy a pedir un contracargo a mi banco", .chargeback),
        ("es", "Esto es una estafa, los llamo a mi abogado", .scam),
        ("es", "Esto es una estafa, los llamo a mi abogado", .lawyer),
        ("es", "Voy a poner la denuncia en PROFECO", .consumerAgency),
        ("pt", "Isso é golpe! Vou reclamar no Reclame Aqui", .scam),
        ("pt", "Isso é golpe! Vou reclamar no Reclame Aqui", .reportPlatform),
        ("pt", "vou no procon amanhã", .consumerAgency),
        ("pt", "o tênis é falso", .fake),
        ("fr", "C'est une arnaque, je vais porter plainte", .scam),
        ("fr", "je vais porter plainte à la police", .police),
        ("fr", "je laisse un avis négatif", .badReview),
        ("de", "Das ist Betrug, ich gehe zur Polizei", .fraud),
        ("de", "Das ist Betrug, ich gehe zur Polizei", .police),
        ("de", "Die Uhr ist GEFÄLSCHT", .fake),
        ("it", "È una truffa, chiamo il mio avvocato", .scam),
        ("it", "È una truffa, chiamo il mio avvocato", .lawyer),
        ("it", "prodotto contraffatto", .counterfeit),
        ("nl", "Dit is oplichting, ik doe aangifte bij de politie", .scam),
        ("nl", "Dit is oplichting, ik doe aangifte bij de politie", .police),
        ("nl", "het is gewoon namaak", .counterfeit),
        ("tr", "Dolandırıcı! Şikayetvar'a yazacağım", .scam),
        ("tr", "Dolandırıcı! Şikayetvar'a yazacağım", .reportPlatform),
        ("tr", "ürün sahte çıktı, avukatıma gidiyorum", .fake),
        ("ar", "هذا نصب واحتيال وسأذهب إلى الشرطة", .scam),
        ("ar", "هذا نصب واحتيال وسأذهب إلى الشرطة", .police),
        ("ar", "المنتج مقلد", .counterfeit),
        ("zh", "你们是骗子，我要给差评", .scam),
        ("zh", "你们是骗子，我要给差评", .badReview),
        ("zh", "再不退款我就投诉到平台", .reportPlatform),
        ("zh", "收到的是假货", .counterfeit),
        ("ja", "これは詐欺です、警察に相談します", .scam),
        ("ja", "これは詐欺です、警察に相談します", .police),
        ("ja", "返金詐欺ではありません", .fraud),
        ("ja", "届いたのは偽物でした", .fake),
        ("ko", "이거 완전 사기네요, 경찰에 신고할게요", .scam),
        ("ko", "이거 완전 사기네요, 경찰에 신고할게요", .police),
        ("ko", "짝퉁 보내셨죠?", .counterfeit),
        ("id", "Dasar penipu! Saya kasih bintang 1", .scam),
        ("id", "Dasar penipu! Saya kasih bintang 1", .badReview),
        ("id", "barangnya palsu, saya lapor ke shopee", .fake),
        ("id", "barangnya palsu, saya lapor ke shopee", .reportPlatform),
        ("ms", "Penipu! Saya buat laporan polis", .scam),
        ("ms", "Penipu! Saya buat laporan polis", .police),
        ("ms", "barang palsu ni", .fake),
        ("th", "ร้านโกง จะแจ้งความกับตำรวจ", .scam),
        ("th", "ร้านโกง จะแจ้งความกับตำรวจ", .police),
        ("th", "จะร้องเรียนร้านนี้", .reportPlatform),
        ("th", "ได้ของปลอมมา", .fake),
        ("vi", "Shop lừa đảo, tôi sẽ báo công an", .scam),
        ("vi", "Shop lừa đảo, tôi sẽ báo công an", .police),
        ("vi", "toàn hàng giả, đánh giá 1 sao", .fake),
        ("vi", "toàn hàng giả, đánh giá 1 sao", .badReview),
        ("vi", "shop lua dao", .scam),
        ("tl", "Scammer kayo! Irereport ko kayo sa DTI", .scam),
        ("tl", "Scammer kayo! Irereport ko kayo sa DTI", .consumerAgency),
        ("tl", "peke yung binigay niyo", .fake),
        ("ru", "Вы мошенники, я пойду в полицию", .scam),
        ("ru", "Вы мошенники, я пойду в полицию", .police),
        ("ru", "Это подделка, оставлю плохой отзыв", .counterfeit),
        ("ru", "Это подделка, оставлю плохой отзыв", .badReview),
        // Public shaming threats, and Thai digits glued to words.
        ("en", "fix it today or I'll expose you on tiktok", .publicExposure),
        ("id", "awas aja aku viralin di tiktok", .publicExposure),
        ("zh", "不负责任的商家，我要发小红书曝光", .publicExposure),
        ("vi", "mai không giải quyết mình bóc phốt shop", .publicExposure),
        ("ar", "لو ما رديتوا اليوم بنزل فيديو وافضحكم", .publicExposure),
        ("tl", "ipo-post ko kayo sa FB para walang bumili", .publicExposure),
        ("th", "ถ้าไม่แก้ให้วันนี้จะให้1ดาวนะคะ", .badReview),
        ("ar", "ترا برفع شكوى لحماية المستهلك", .consumerAgency),
    ]

    @Test func everyLanguageHasHitsWithTheRightCategory() {
        var languages = Set<String>()
        for (language, message, category) in Self.expectedHits {
            let hits = lexicon.matches(message, language: language)
            #expect(hits.contains { $0.category == category }, "\(language): \"\(message)\" → \(hits.map { "\($0.term)/\($0.category.rawValue)" })")
            languages.insert(language)
        }
        #expect(languages == Set(LanguageIdentifier.supportedLanguages))
    }

    @Test func lexiconCoversEveryLanguageAndCategory() {
        let terms = lexicon.terms
        for language in LanguageIdentifier.supportedLanguages {
            #expect(terms.filter { $0.language == language }.count >= 15, "\(language) has too few terms")
        }
        for category in RiskCategory.allCases {
            #expect(terms.contains { $0.category == category }, "no term for \(category.rawValue)")
        }
    }

    @Test(arguments: [
        ("en", "The scampi was delicious, thanks!"),
        ("en", "Please follow your return policy"),
        ("en", "Sue from accounting placed this order"),
        ("en", "I left a 5 star review, great shop"),
        ("es", "La caja llegó con un golpe pero el producto está bien"),
        ("pt", "Como funciona o processo de troca?"),
        ("vi", "Shop có hàng giá rẻ không?"),
        ("vi", "Mình đang chờ kiện hàng"),
        ("zh", "假期快乐，什么时候发货？"),
        ("ko", "사과 주문했어요"),
        ("ar", "ما هو منصب المدير؟"),
        ("ru", "Спортивный костюм пришёл вовремя"),
        ("id", "Saya mau tanya polis asuransi pengiriman"),
        ("nl", "Verzenden jullie ook naar Nepal?"),
        ("de", "Die Anwendung ist einfach"),
        ("tr", "Polisiye romanınız var mı?"),
        ("fr", "Vous livrez à Paris ?"),
    ])
    func innocentNearMissesDoNotHit(language: String, message: String) {
        let hits = lexicon.matches(message, language: language)
        #expect(hits.isEmpty, "\"\(message)\" → \(hits.map { "\($0.term)/\($0.category.rawValue)" })")
    }

    @Test func strictTermsNeedTheirLanguage() {
        #expect(lexicon.matches("isso foi um golpe", language: "pt").contains { $0.category == .scam })
        #expect(!lexicon.matches("llegó con un golpe", language: "es").contains { $0.category == .scam })
        // Undetermined language: strict terms still count.
        #expect(lexicon.matches("golpe", language: nil).contains { $0.category == .scam })
    }

    @Test func foldingMakesCaseWidthAndAccentVariantsHit() {
        for variant in ["POLICÍA", "policia", "Policía", "ＰＯＬＩＣÍＡ"] {
            #expect(lexicon.matches("voy a llamar a la \(variant)").contains { $0.category == .police }, "\(variant)")
        }
        #expect(lexicon.matches("ＳＣＡＭ！").contains { $0.category == .scam })
        #expect(lexicon.matches("LỪA ĐẢO").contains { $0.category == .scam })
        #expect(lexicon.matches("DOLANDIRICI").contains { $0.category == .scam })
        #expect(lexicon.matches("هذا احتيال").contains { $0.category == .fraud })
    }

    @Test func hitsReportTermLanguageAndRange() throws {
        let message = "Hello!! This SCAM shop… I'll call the police"
        let hits = lexicon.matches(message, language: "en")
        let scalars = Array(message.unicodeScalars)
        func text(_ hit: RiskHit) -> String {
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars[hit.range])
            return s
        }
        let scam = try #require(hits.first { $0.category == .scam })
        #expect(scam.term == "scam" && scam.language == "en" && text(scam) == "SCAM")
        let police = try #require(hits.first { $0.category == .police })
        #expect(text(police) == "police")
        #expect(hits.map(\.range.lowerBound) == hits.map(\.range.lowerBound).sorted())

        let thai = "ร้านนี้โกงครับ"
        let thaiHit = try #require(lexicon.matches(thai).first)
        var found = ""
        found.unicodeScalars.append(contentsOf: Array(thai.unicodeScalars)[thaiHit.range])
        #expect(found == "โกง" && thaiHit.language == "th")
    }

    @Test func wordBoundariesAndOpenEnds() {
        let small = RiskLexicon(terms: [
            RiskTerm(term: "fake", language: "en", category: .fake),
            RiskTerm(term: "fraud", language: "en", category: .fraud, openEnd: true),
            RiskTerm(term: "星1", language: "ja", category: .badReview),
            RiskTerm(term: "1 star", language: "en", category: .badReview),
        ])
        #expect(small.matches("it's fake").count == 1)
        #expect(small.matches("fakey").isEmpty)
        #expect(small.matches("unfake").isEmpty)
        #expect(small.matches("fraudulent seller").first?.category == .fraud)
        #expect(small.matches("星1つです").first?.category == .badReview)
        #expect(small.matches("I give 1 star").count == 1)
        #expect(small.matches("I give 11 stars").isEmpty)
        #expect(small.matches("I give a1 star").isEmpty)
        #expect(small.matches("").isEmpty)
    }

    @Test func overlappingTermsAreAllReported() {
        let small = RiskLexicon(terms: [
            RiskTerm(term: "dispute", language: "en", category: .dispute),
            RiskTerm(term: "dispute the charge", language: "en", category: .chargeback),
            RiskTerm(term: "he", language: "en", category: .fake),
            RiskTerm(term: "she", language: "en", category: .fraud),
            RiskTerm(term: "hers", language: "en", category: .scam),
        ])
        let categories = Set(small.matches("I will dispute the charge").map(\.category))
        #expect(categories == [.dispute, .chargeback])
        // Classic Aho–Corasick suffix outputs, without boundaries getting in the way (CJK).
        let cjk = RiskLexicon(terms: [
            RiskTerm(term: "诈骗", language: "zh", category: .scam),
            RiskTerm(term: "骗", language: "zh", category: .fraud),
            RiskTerm(term: "骗子", language: "zh", category: .scam),
        ])
        let hits = cjk.matches("他是诈骗骗子")
        #expect(hits.map(\.term) == ["诈骗", "骗", "骗", "骗子"])
    }

    @Test func serialisationRoundTrip() throws {
        var writer = ByteWriter()
        lexicon.write(to: &writer)
        var reader = ByteReader(bytes: writer.bytes, section: RiskLexicon.sectionTag)
        let decoded = try RiskLexicon(reading: &reader)
        try reader.expectEnd()
        #expect(decoded.terms == lexicon.terms)
        #expect(decoded.patternCount == lexicon.patternCount)
        for (language, message, _) in Self.expectedHits {
            #expect(decoded.matches(message, language: language) == lexicon.matches(message, language: language))
        }
        var truncated = ByteReader(bytes: Array(writer.bytes.prefix(writer.bytes.count / 2)), section: RiskLexicon.sectionTag)
        #expect(throws: ModelFileError.self) { _ = try RiskLexicon(reading: &truncated) }
    }

    @Test func parseErrorsNameTheLine() {
        #expect(throws: RiskLexiconError(line: 2, message: "unknown category \"threat.nope\"")) {
            _ = try RiskTerm.parseTSV("# comment\nscam\ten\tthreat.nope\n")
        }
        #expect(throws: RiskLexiconError.self) { _ = try RiskTerm.parseTSV("scam\tenglish\trisk.scam\n") }
        #expect(throws: RiskLexiconError.self) { _ = try RiskTerm.parseTSV("scam\ten\n") }
    }

    @Test func concurrentMatchingSharesOneLexicon() {
        let messages = Self.expectedHits.map { ($0.0, $0.1) }
        let shared = lexicon
        let expected = messages.map { shared.matches($0.1, language: $0.0) }
        let results = ConcurrentResults(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            let scratch = FoldScratch()
            var ok = true
            for _ in 0..<5 {
                for (index, (language, message)) in messages.enumerated()
                where shared.matches(message, language: language, scratch: scratch) != expected[index] {
                    ok = false
                }
            }
            results.set(worker, ok)
        }
        #expect(results.all)
    }
}

/// Collects one Bool per worker of a `concurrentPerform` (each worker writes its own slot).
final class ConcurrentResults: @unchecked Sendable {   // slots written under `lock` by the workers
    private var values: [Bool]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: false, count: count) }
    func set(_ index: Int, _ value: Bool) { lock.lock(); values[index] = value; lock.unlock() }
    var all: Bool { lock.lock(); defer { lock.unlock() }; return values.allSatisfy { $0 } }
}
