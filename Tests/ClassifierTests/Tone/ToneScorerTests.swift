import Foundation
import Testing
@testable import Classifier

@Suite struct ToneScorerTests {
    /// Per language: clearly angry messages and clearly calm ones, none of them in the training data.
    static let pairs: [(language: String, angry: [String], calm: [String])] = [
        ("en", ["This is absolutely unacceptable, you are useless and I want my money back NOW!",
                "Worst shop ever, the item is broken and nobody answers. Disgusting!"],
               ["Hi, could you tell me if the blue one is in stock?", "Thanks, I received it today, all good."]),
        ("es", ["¡Son unos inútiles, el peor servicio del mundo, devuélvanme mi dinero!",
                "Estoy harto, el producto llegó roto y nadie responde, qué vergüenza."],
               ["Hola, ¿tienen esta mochila en color verde?", "Gracias, ya me llegó el pedido, todo perfecto."]),
        ("pt", ["Vocês são uns incompetentes, pior loja do mundo, quero meu dinheiro de volta!",
                "Que absurdo, chegou quebrado e ninguém responde, estou revoltada."],
               ["Oi, vocês têm essa mochila na cor verde?", "Obrigada, o pedido chegou hoje, tudo certo."]),
        ("fr", ["Vous êtes des incapables, le pire service, remboursez-moi immédiatement !",
                "C'est scandaleux, le colis est arrivé cassé et personne ne répond."],
               ["Bonjour, avez-vous ce sac en vert ?", "Merci, j'ai bien reçu la commande, tout est parfait."]),
        ("de", ["Ihr seid völlig unfähig, der schlechteste Laden überhaupt, ich will sofort mein Geld zurück!",
                "Eine Frechheit, das Paket kam kaputt an und niemand antwortet."],
               ["Hallo, gibt es den Rucksack auch in Grün?", "Danke, die Bestellung ist heute angekommen, alles bestens."]),
        ("ar", ["أنتم فاشلون وأسوأ متجر، أريد فلوسي الآن!", "شيء مخزي، الطلب وصل مكسور ولا أحد يرد."],
               ["مرحبا، هل عندكم هذه الحقيبة باللون الأخضر؟", "شكرا، وصل الطلب اليوم وكل شيء ممتاز."]),
        ("zh", ["你们太垃圾了，最差的店，马上退钱！", "气死了，东西坏了也没人回复，太恶心了。"],
               ["你好，这个包有绿色的吗？", "谢谢，今天收到了，一切都很好。"]),
        ("ja", ["最悪の店です、対応がひどすぎる。今すぐ返金してください！", "壊れて届いたのに誰も返事をしない、本当に腹が立つ。"],
               ["こんにちは、このバッグの緑はありますか？", "ありがとうございます、本日受け取りました。"]),
        ("ko", ["진짜 최악의 가게예요, 당장 환불해 주세요!", "물건이 깨져서 왔는데 아무도 답을 안 해요, 너무 화나요."],
               ["안녕하세요, 이 가방 초록색 있나요?", "감사합니다, 오늘 잘 받았어요."]),
        ("vi", ["Shop làm ăn quá tệ, hoàn tiền ngay cho tôi!", "Hàng tới bị vỡ mà không ai trả lời, bực mình quá."],
               ["Chào shop, túi này có màu xanh lá không?", "Cảm ơn shop, mình nhận được hàng rồi, rất ổn."]),
        ("ms", ["Kedai paling teruk, pulangkan duit saya sekarang!", "Barang sampai rosak dan takde siapa balas, geram betul."],
               ["Hai, beg ni ada warna hijau tak?", "Terima kasih, barang dah sampai hari ni, semua okey."]),
        ("tl", ["Pinakapangit na shop, ibalik niyo na ang pera ko ngayon!", "Sira yung dumating at walang sumasagot, nakakainis talaga."],
               ["Hello po, may kulay green po ba itong bag?", "Salamat po, natanggap ko na ngayon, okay lahat."]),
        ("tr", ["En kötü mağaza, paramı hemen geri verin!", "Ürün kırık geldi ve kimse cevap vermiyor, rezalet."],
               ["Merhaba, bu çantanın yeşili var mı?", "Teşekkürler, sipariş bugün geldi, her şey yolunda."]),
        ("th", ["ร้านแย่มาก ของพัง ไม่ตอบแชทเลย โกรธมาก", "ห่วยที่สุด ไม่ซื้ออีกแล้ว"],
               ["สวัสดีค่ะ กระเป๋านี้มีสีเขียวไหมคะ", "ได้รับของแล้วค่ะ ขอบคุณมากนะคะ"]),
        ("id", ["Kecewa banget, barang rusak, penjual nggak bertanggung jawab!", "Parah, pesanan nggak sampai dan admin nggak bales."],
               ["Kak, tas ini ada warna hijau?", "Barang sudah sampai, terima kasih kak, mantap."]),
    ]

    @Test func angryScoresAboveCalmInEveryLanguage() {
        let tone = AnalysisFixtures.toneScorer
        var correct = 0, total = 0
        for (language, angry, calm) in Self.pairs {
            let angryScores = angry.map { tone.score($0) }
            let calmScores = calm.map { tone.score($0) }
            print("tone \(language): angry \(angryScores.map { ($0 * 100).rounded() }) calm \(calmScores.map { ($0 * 100).rounded() })")
            #expect(angryScores.min()! > calmScores.max()!, "\(language): angry \(angryScores) calm \(calmScores)")
            correct += angryScores.filter { $0 >= tone.threshold }.count + calmScores.filter { $0 < tone.threshold }.count
            total += angryScores.count + calmScores.count
        }
        print("tone threshold accuracy on the pairs: \(correct)/\(total)")
        #expect(Double(correct) >= 0.85 * Double(total))
    }

    @Test func pairsAreNotInTheTrainingData() throws {
        var training = try ToneCorpus.loadAuthored(directory: AnalysisFixtures.projectPath("Data/tone"))
        training += try ToneCorpus.loadIntentRows(directory: AnalysisFixtures.projectPath("Data/authored"))
        let seen = Set(training.map { $0.text.lowercased() })
        let leaked = Self.pairs.flatMap { $0.angry + $0.calm }.filter { seen.contains($0.lowercased()) }
        #expect(leaked.isEmpty, "\(leaked)")
    }

    @Test func shoutingRaisesTheScore() {
        let tone = AnalysisFixtures.toneScorer
        let plain = tone.score("where is my order, i paid last week")
        let shouted = tone.score("WHERE IS MY ORDER, I PAID LAST WEEK!!!")
        #expect(shouted > plain + 0.1, "plain \(plain) shouted \(shouted)")
        #expect(tone.score("why??? why is it not here???") > tone.score("why is it not here"))
    }

    @Test func angerWordsCarryAcrossLanguages() throws {
        let tone = AnalysisFixtures.toneScorer
        #expect(Set(tone.angerTerms.map(\.language)) == Set(LanguageIdentifier.supportedLanguages))
        // Same sentence frame, an anger word or not (Italian, Dutch, Russian have few tone examples).
        for (angry, calm) in [("servizio pessimo, che schifo", "servizio veloce, grazie"),
                              ("waardeloos, ik ben woedend", "snelle levering, dank je"),
                              ("ужасный сервис, позор", "быстрая доставка, спасибо")] {
            #expect(tone.score(angry) > tone.score(calm) + 0.3, "\(angry) vs \(calm)")
        }
        let terms = try ToneTerm.parseTSV("# c\nworst\ten\nhart*\tes\n")
        #expect(terms == [ToneTerm(term: "worst", language: "en"), ToneTerm(term: "hart", language: "es", openEnd: true)])
        #expect(throws: RiskLexiconError.self) { _ = try ToneTerm.parseTSV("worst\n") }
    }

    @Test func scoresAreProbabilities() {
        let tone = AnalysisFixtures.toneScorer
        for text in ["", "!!!", "👍", "ok", String(repeating: "a", count: 5000)] {
            let score = tone.score(text)
            #expect(score >= 0 && score <= 1, "\(text.prefix(10)) → \(score)")
        }
    }

    @Test func serialisationRoundTrip() throws {
        let tone = AnalysisFixtures.toneScorer
        var writer = ByteWriter()
        tone.write(to: &writer)
        var reader = ByteReader(bytes: writer.bytes, section: ToneScorer.sectionTag)
        let decoded = try ToneScorer(reading: &reader)
        try reader.expectEnd()
        for (_, angry, calm) in Self.pairs {
            for text in angry + calm { #expect(decoded.score(text) == tone.score(text)) }
        }
        var truncated = ByteReader(bytes: Array(writer.bytes.prefix(40)), section: ToneScorer.sectionTag)
        #expect(throws: ModelFileError.self) { _ = try ToneScorer(reading: &truncated) }
    }

    @Test func concurrentScoringSharesOneModel() {
        let tone = AnalysisFixtures.toneScorer
        let texts = Self.pairs.flatMap { $0.angry + $0.calm }
        let expected = texts.map { tone.score($0) }
        let results = ConcurrentResults(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let scratch = FoldScratch()
            var ok = true
            for (index, text) in texts.enumerated() where tone.score(text, scratch: scratch) != expected[index] { ok = false }
            results.set(worker, ok)
        }
        #expect(results.all)
    }

    @Test func trainingRejectsUnusableData() {
        #expect(throws: DatasetError.self) {
            _ = try ToneScorer.train(samples: [ToneSample(text: "fine", negative: false, language: "en", source: "x")])
        }
        #expect(throws: DatasetError.self) {
            _ = try LanguageIdentifier.train(samples: [LanguageSample(text: "hello there friend", language: "en")])
        }
    }

    @Test func corpusReadersParseTheirFormats() throws {
        let rows = ToneCorpus.parseCSV("a,b,c\n1,\"x, \"\"y\"\"\nz\",3\r\n")
        #expect(rows == [["a", "b", "c"], ["1", "x, \"y\"\nz", "3"]])
        let authored = try ToneCorpus.loadAuthored(directory: AnalysisFixtures.projectPath("Data/tone"))
        let languages = Set(authored.map(\.language))
        for language in ["en", "es", "pt", "fr", "de", "ar", "zh", "ja", "ko", "vi", "ms", "tl", "tr"] {
            let rows = authored.filter { $0.language == language }
            #expect(rows.count >= 30 && rows.contains { $0.negative } && rows.contains { !$0.negative }, "\(language)")
        }
        #expect(languages.count >= 13)
    }
}
