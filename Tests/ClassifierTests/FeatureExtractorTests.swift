import Testing
@testable import Classifier

@Suite struct FeatureExtractorTests {
    var settings: FeatureSettings {
        var s = FeatureSettings()
        s.idf = false
        return s
    }

    @Test func vectorsAreUnitLengthWithUniqueIndices() {
        let extractor = FeatureExtractor(settings: settings)
        for text in ["where is my order", "我的订单在哪里", "สินค้ายังไม่ได้รับ", "أين طلبي", "주문 취소", "😡 refund now!!! #123456"] {
            let v = extractor.features(text)
            #expect(!v.indices.isEmpty, "\(text)")
            #expect(Set(v.indices).count == v.indices.count)
            let norm = v.values.reduce(0) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-5)
            #expect(v.indices.allSatisfy { Int($0) < settings.bucketCount })
        }
    }

    @Test func emptyTextGivesEmptyVector() {
        #expect(FeatureExtractor(settings: settings).features("  ?! ").indices.isEmpty)
    }

    @Test func repeatedWordsUseSublinearTermFrequency() {
        var s = settings
        s.charMinN = 5
        s.charMaxN = 5
        s.wordBigrams = false
        // "ab" has no 5-gram inside "\u{2}ab\u{3}" (length 4), so only the word unigram remains.
        let once = FeatureExtractor(settings: s).features("ab")
        let thrice = FeatureExtractor(settings: s).features("ab ab ab")
        #expect(once.indices == thrice.indices)
        #expect(once.count == 1)
    }

    @Test func scratchReuseGivesSameFeatures() {
        let extractor = FeatureExtractor(settings: settings)
        let scratch = FeatureScratch()
        let texts = ["refund please", String(repeating: "long message with many words ", count: 80), "我的订单", "refund please"]
        var results: [SparseVector] = []
        for text in texts {
            extractor.extract(text, into: scratch)
            results.append(scratch.vector)
        }
        #expect(results[0] == results[3])
        #expect(results[0] == extractor.features("refund please"))
        #expect(results[1] == extractor.features(texts[1]))
    }

    @Test func placeholdersShareFeatures() {
        let extractor = FeatureExtractor(settings: settings)
        #expect(extractor.features("order 123456789") == extractor.features("order 987654"))
        #expect(extractor.features("see https://a.com/x") == extractor.features("see www.b.org"))
    }
}
