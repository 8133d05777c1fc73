/// A sparse feature vector: parallel arrays of feature indices (hash buckets) and values.
/// Indices are unique within a vector when produced by `FeatureExtractor`.
public struct SparseVector: Sendable, Equatable {
    public var indices: [UInt32]
    public var values: [Float]

    public init(indices: [UInt32] = [], values: [Float] = []) {
        precondition(indices.count == values.count, "indices and values must have the same length")
        self.indices = indices
        self.values = values
    }

    public var count: Int { indices.count }

    public mutating func removeAll() {
        indices.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    public mutating func append(_ index: UInt32, _ value: Float) {
        indices.append(index)
        values.append(value)
    }

    /// Scales the values to unit L2 norm (no-op for an empty or all-zero vector).
    public mutating func normalizeL2() {
        var sum: Float = 0
        for value in values { sum += value * value }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for index in values.indices { values[index] *= scale }
    }
}
