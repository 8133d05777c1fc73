import Testing
@testable import Classifier

@Suite struct ScalarFoldTests {
    func folded(_ text: String) -> String {
        let scratch = FoldScratch()
        ScalarFold.fold(text, into: scratch)
        var result = ""
        for code in scratch.scalars { result.unicodeScalars.append(Unicode.Scalar(code)!) }
        return result
    }

    @Test func latinKeepsAccentsAndLowercases() {
        #expect(folded("ÀÉÎÕÜ Ñ Ç ß İ I") == "àéîõü ñ ç ß i i")
        #expect(folded("ĐƠN HÀNG CỦA TÔI") == "đơn hàng của tôi")
        #expect(folded("ŞİKAYET ĞÜÇ") == "şikayet ğüç")
    }

    @Test func otherScriptsUseTheNormalisationTable() {
        #expect(folded("ＳＣＡＭ！") == "scam!")
        #expect(folded("ПОЛИЦИЯ") == "полиция")
        #expect(folded("أحمد") == "احمد")
        #expect(folded("a  \t b") == "a b")
    }

    @Test func originsPointIntoTheInput() {
        let scratch = FoldScratch()
        ScalarFold.fold("Ａb\u{200B}c", into: scratch)
        #expect(scratch.scalars == [0x61, 0x62, 0x63])
        #expect(scratch.origins == [0, 1, 3])
    }

    @Test func cuesCountCapitalsAndPunctuation() {
        let scratch = FoldScratch()
        ScalarFold.fold("WHERE IS MY ORDER?!?!", into: scratch)
        #expect(scratch.cues.capsRatio == 1)
        #expect(scratch.cues.longestPunctuationRun == 4)
        #expect(scratch.cues.exclamations == 2 && scratch.cues.questions == 2)
        ScalarFold.fold("where is my order", into: scratch)
        #expect(scratch.cues.capsRatio == 0)
        ScalarFold.fold("ГДЕ МОЙ ЗАКАЗ", into: scratch)
        #expect(scratch.cues.capsRatio == 1)
    }
}
