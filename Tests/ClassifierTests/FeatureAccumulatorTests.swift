import Testing
@testable import Classifier

@Suite struct FeatureAccumulatorTests {
    /// Adds `buckets` one batch at a time through the hash buffer, as the extractors do.
    func add(_ buckets: [UInt32], weight: Float = 1, to acc: inout FeatureAccumulator) {
        acc.reserveHashes(buckets.count)
        for (index, bucket) in buckets.enumerated() { acc.hashes[index] = bucket }
        acc.add(hashesCount: buckets.count, weight: weight)
    }

    @Test func countsRepeatsInOrderOfFirstAppearance() {
        var acc = FeatureAccumulator()
        add([7, 3, 7, 9, 3, 7], to: &acc)
        acc.add(9, 0.5)  // present already: counted, keeps its first weight
        acc.add(4, 0.5)
        #expect(acc.entries.map(\.bucket) == [7, 3, 9, 4])
        #expect(acc.entries.map(\.count) == [3, 2, 2, 1])
        #expect(acc.entries.map(\.weight) == [1, 1, 1, 0.5])
    }

    @Test func growsPastItsFirstTableAndKeepsEveryCount() {
        var acc = FeatureAccumulator()
        let buckets = (0..<5_000).map { UInt32($0 * 7919 % 262_144) }
        add(buckets, to: &acc)
        add(Array(buckets.prefix(100)), to: &acc)
        #expect(acc.count == 5_000)
        #expect(acc.entries.map(\.bucket) == buckets)
        #expect(acc.entries.prefix(100).allSatisfy { $0.count == 2 })
        #expect(acc.entries.dropFirst(100).allSatisfy { $0.count == 1 })
    }

    @Test func resetForgetsEverythingForTheNextMessage() {
        var acc = FeatureAccumulator()
        add([1, 2, 3, 2], to: &acc)
        acc.reset()
        #expect(acc.count == 0)
        add([2, 5], to: &acc)
        #expect(acc.entries.map(\.bucket) == [2, 5])
        #expect(acc.entries.map(\.count) == [1, 1])
    }

    @Test func thePlaceholderStillCountsWhenUsed() {
        var acc = FeatureAccumulator.placeholder
        #expect(acc.count == 0)
        acc.add(42, 1)
        acc.add(42, 1)
        #expect(acc.entries.map(\.count) == [2])
    }

    @Test func writesUnitLengthVectorsInEntryOrder() {
        var acc = FeatureAccumulator()
        add([10, 20, 10], to: &acc)
        var indices: [UInt32] = [99], values: [Float] = [99]
        acc.writeVector(into: &indices, &values) { $0.count }
        #expect(indices == [10, 20])
        let norm = (values[0] * values[0] + values[1] * values[1]).squareRoot()
        #expect(abs(norm - 1) < 1e-6)
        #expect(abs(values[0] / values[1] - 2) < 1e-6)
        // A zero vector stays as it is, or becomes zeros with `zeroUnlessPositive`.
        acc.writeVector(into: &indices, &values) { _ in 0 }
        #expect(values == [0, 0])
        acc.writeVector(into: &indices, &values, zeroUnlessPositive: true) { _ in -0.0 }
        #expect(values.allSatisfy { $0 == 0 })
    }
}
