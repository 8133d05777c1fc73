import Testing
@testable import Classifier

@Suite struct TextNormalizerTests {
    let normalizer = TextNormalizer()

    @Test func latinCaseAndAccentsFold() {
        #expect(normalizer.tokens("Où est ma COMMANDE, s'il vous plaît?") == ["ou", "est", "ma", "commande", "sil", "vous", "plait"])
        #expect(normalizer.tokens("Straße ÑANDÚ") == ["strasse", "nandu"])
        // Decomposed and precomposed accents give the same tokens.
        #expect(normalizer.tokens("cafe\u{301}") == normalizer.tokens("café"))
    }

    @Test func nfkcFoldsCompatibilityForms() {
        // Fullwidth Latin and digits, ligatures, superscripts.
        #expect(normalizer.tokens("ＯＲＤＥＲ ﬁnal") == ["order", "final"])
        #expect(normalizer.tokens("ｈｅｌｌｏ") == ["hello"])
    }

    @Test func invisibleCharactersAreDropped() {
        #expect(normalizer.tokens("re\u{200B}fund\u{200D} please\u{FEFF}") == ["refund", "please"])
        #expect(normalizer.tokens("\u{200E}hello\u{00AD}world") == ["helloworld"])
    }

    @Test func longRepeatsAreSqueezed() {
        #expect(normalizer.tokens("helloooooo pleeeease") == ["helloo", "pleease"])
        #expect(normalizer.tokens("哈哈哈哈哈") == ["哈哈"])
    }

    @Test func arabicIsUnifiedAndDiacriticsDropped() {
        // Alef variants → ا, taa marbuta → ه, alef maqsura → ي, harakat and tatweel dropped.
        #expect(normalizer.tokens("أين طلبيّة") == ["اين", "طلبيه"])
        #expect(normalizer.tokens("إلى مـــتى") == ["الي", "متي"])
        #expect(normalizer.tokens("مَرْحَبًا") == ["مرحبا"])
        // Arabic-Indic digits are numbers.
        #expect(normalizer.tokens("طلب ١٢٣") == ["طلب", "<num>"])
    }

    @Test func noSpaceScriptsFormRuns() {
        #expect(normalizer.tokens("我的订单在哪里？") == ["我的订单在哪里"])
        let scratch = TextScratch()
        normalizer.normalize("我的订单在哪里", into: scratch)
        #expect(scratch.tokenKinds == [.noSpace])
        #expect(normalizer.tokens("注文はどこですか") == ["注文はどこですか"])
        // Thai vowel marks stay attached to their consonants.
        #expect(normalizer.tokens("สินค้ายังไม่ได้รับ ค่ะ") == ["สินค้ายังไม่ได้รับ", "ค่ะ"])
        // Latin inside a no-space run is split out.
        #expect(normalizer.tokens("我想买iPhone手机") == ["我想买", "iphone", "手机"])
    }

    @Test func hangulIsSpaceDelimited() {
        let scratch = TextScratch()
        normalizer.normalize("주문 취소해 주세요", into: scratch)
        #expect(scratch.tokens == ["주문", "취소해", "주세요"])
        #expect(scratch.tokenKinds == [.word, .word, .word])
    }

    @Test func placeholders() {
        #expect(normalizer.tokens("order #12345 is late") == ["order", "<id>", "is", "late"])
        #expect(normalizer.tokens("my order 112233445 and ORD-7781A") == ["my", "order", "<id>", "and", "<id>"])
        #expect(normalizer.tokens("refunding$1499 for iphone13") == ["refunding", "<num>", "for", "iphone", "<num>"])
        #expect(normalizer.tokens("240312ABC7781") == ["<id>"])
        #expect(normalizer.tokens("it costs 19.99 or 1,250 for 2 pcs") == ["it", "costs", "<num>", "or", "<num>", "for", "<num>", "pcs"])
        #expect(normalizer.tokens("see https://shop.example.com/item?id=3 or www.example.org") == ["see", "<url>", "or", "<url>"])
        #expect(normalizer.tokens("check example.com now") == ["check", "<url>", "now"])
        #expect(normalizer.tokens("mail me at a.b@example.com") == ["mail", "me", "at", "<email>"])
        #expect(normalizer.tokens("thanks 😡😡😡 bad") == ["thanks", "<emoji>", "bad"])
        #expect(normalizer.tokens("love it👍🏽!") == ["love", "it", "<emoji>"])
        #expect(normalizer.tokens("❤️") == ["<emoji>"])
    }

    @Test func punctuationOnlyGivesNoTokens() {
        #expect(normalizer.tokens("?!... --- ") == [])
        #expect(normalizer.tokens("") == [])
    }

    @Test func inputIsBoundedByMaxScalars() {
        let short = TextNormalizer(maxScalars: 5)
        #expect(short.tokens("abcdefgh ijk") == ["abcde"])
    }
}
