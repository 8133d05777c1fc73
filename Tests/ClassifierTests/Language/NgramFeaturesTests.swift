import Testing
@testable import Classifier

@Suite struct NgramFeaturesTests {
    let features = NgramFeatures(bucketBits: 16, maxOrder: 4, wordBigrams: true, seed: 1)

    func vector(_ text: String) -> SparseVector {
        let scratch = FoldScratch()
        ScalarFold.fold(text, into: scratch)
        features.extract(scratch)
        return scratch.vector
    }

    @Test func uniqueIndicesWithUnitNorm() {
        let v = vector("Where is my order? where IS my order")
        #expect(Set(v.indices).count == v.indices.count)
        let norm = v.values.reduce(0) { $0 + $1 * $1 }
        #expect(abs(norm - 1) < 1e-4)
        #expect(v.indices.allSatisfy { Int($0) < features.dimension })
    }

    @Test func deterministicAndCaseInsensitive() {
        #expect(vector("Hola, ¿dónde está mi pedido?") == vector("HOLA, ¿DÓNDE ESTÁ MI PEDIDO?"))
        #expect(vector("abc") != vector("abd"))
    }

    @Test func emptyAndNonLetterTextGiveNoFeatures() {
        #expect(vector("").indices.isEmpty)
        #expect(vector("123 !!! ...").indices.isEmpty)
    }

    @Test func longRunsAreWindowed() {
        let v = vector(String(repeating: "中文", count: 100))
        #expect(!v.indices.isEmpty)
    }

    @Test func settingsRoundTrip() throws {
        var writer = ByteWriter()
        features.write(to: &writer)
        var reader = ByteReader(bytes: writer.bytes, section: "TEST")
        #expect(try NgramFeatures(reading: &reader) == features)
    }
}
