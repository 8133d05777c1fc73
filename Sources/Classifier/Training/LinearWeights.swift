/// The parameters of a linear multi-class model over hashed sparse features: a
/// `[dimension][classCount]` weight matrix stored feature-major (one row of `classCount` floats
/// per hash bucket, so a sparse dot product reads contiguous rows), plus one bias per class.
/// Immutable once trained, and shared between threads.
public struct LinearWeights: Sendable, Equatable {
    public let dimension: Int
    public let classCount: Int
    /// SIMD8 lanes per row: `ceil(classCount / 8)`; rows are padded with zeros to whole lanes so
    /// the sparse dot product runs 8 classes at a time.
    let lanes: Int
    let packed: [SIMD8<Float>]
    public let bias: [Float]

    /// The largest weight or bias (and IDF weight, cue bonus) magnitude a model file may hold.
    /// Trained models stay far below it (the default model's largest is about 12); the bound keeps
    /// every score finite (no sum of products can overflow to inf - inf = NaN), so a corrupt file
    /// whose checksum was made right is refused at load instead of answering NaN.
    public static let maxParameterMagnitude: Float = 10_000

    /// Whether `value` is a parameter a model file may hold (finite, within the bound).
    public static func isPlausibleParameter(_ value: Float) -> Bool { abs(value) <= maxParameterMagnitude }

    public init(dimension: Int, classCount: Int, weights: [Float], bias: [Float]) {
        precondition(weights.count == dimension * classCount && bias.count == classCount, "weight shape mismatch")
        self.dimension = dimension
        self.classCount = classCount
        self.bias = bias
        let lanes = (classCount + 7) / 8
        self.lanes = lanes
        var packed = [SIMD8<Float>](repeating: SIMD8(repeating: 0), count: dimension * lanes)
        for row in 0..<dimension {
            let base = row * classCount
            for c in 0..<classCount { packed[row * lanes + c / 8][c % 8] = weights[base + c] }
        }
        self.packed = packed
    }

    /// The weights as a flat feature-major `[dimension * classCount]` array.
    public var weights: [Float] {
        var flat = [Float](repeating: 0, count: dimension * classCount)
        for row in 0..<dimension {
            for c in 0..<classCount { flat[row * classCount + c] = packed[row * lanes + c / 8][c % 8] }
        }
        return flat
    }

    /// Writes the raw scores (logits) for `vector` into `scores` (resized to `classCount`
    /// without reallocating when it already has that size).
    @inline(__always)
    public func logits(_ vector: SparseVector, into scores: inout [Float]) {
        if scores.count != classCount { scores = [Float](repeating: 0, count: classCount) }
        let k = classCount
        let lanes = self.lanes
        let indices = vector.indices, values = vector.values
        let n = indices.count
        if lanes == 3 {   // up to 24 classes (the intent model): one pass, three accumulators
            var a0 = SIMD8<Float>(repeating: 0), a1 = a0, a2 = a0
            for i in 0..<n {
                let row = Int(indices[i]) &* 3
                let v = values[i]
                a0 += packed[row] * v
                a1 += packed[row &+ 1] * v
                a2 += packed[row &+ 2] * v
            }
            for j in 0..<8 { scores[j] = bias[j] + a0[j] }
            for j in 0..<8 { scores[8 + j] = bias[8 + j] + a1[j] }
            for j in 0..<(k - 16) { scores[16 + j] = bias[16 + j] + a2[j] }
            return
        }
        for lane in 0..<lanes {
            var accumulator = SIMD8<Float>(repeating: 0)
            for i in 0..<n {
                accumulator += packed[Int(indices[i]) &* lanes &+ lane] * values[i]
            }
            let first = lane * 8
            for j in 0..<min(8, k - first) { scores[first + j] = bias[first + j] + accumulator[j] }
        }
    }

    public func encode(into writer: inout ByteWriter) {
        writer.write(dimension)
        writer.write(classCount)
        writer.write(bias)
        writer.write(weights)
    }

    public init(from reader: inout ByteReader) throws(ModelFileError) {
        let dimension = try reader.readInt()
        let classCount = try reader.readInt()
        guard dimension > 0, classCount > 0, dimension <= 1 << 26, classCount <= 4096 else {
            throw .malformed(reader.section, "weight shape \(dimension) x \(classCount) is impossible")
        }
        let bias = try reader.readFloats()
        let weights = try reader.readFloats()
        guard bias.count == classCount, weights.count == dimension * classCount else {
            throw .malformed(reader.section, "expected \(dimension * classCount) weights and \(classCount) biases, found \(weights.count) and \(bias.count)")
        }
        // A NaN, infinite or huge parameter makes the scores it touches NaN: no trained model has one.
        if let index = bias.firstIndex(where: { !Self.isPlausibleParameter($0) }) {
            throw .malformed(
                reader.section,
                "bias \(index) is \(bias[index]): model parameters must be finite numbers of magnitude at most \(Self.maxParameterMagnitude)")
        }
        if let index = weights.firstIndex(where: { !Self.isPlausibleParameter($0) }) {
            throw .malformed(
                reader.section,
                "weight \(index) (bucket \(index / classCount), class \(index % classCount)) is \(weights[index]): model parameters must be finite numbers of magnitude at most \(Self.maxParameterMagnitude)")
        }
        self.init(dimension: dimension, classCount: classCount, weights: weights, bias: bias)
    }
}

/// Softmax in place with a temperature: `p_c = exp(z_c / T) / Σ exp(z_j / T)`.
@inline(__always)
public func softmaxInPlace(_ scores: inout [Float], temperature: Float = 1) {
    var maxValue = -Float.infinity
    for s in scores where s > maxValue { maxValue = s }
    var sum: Float = 0
    let inverse = 1 / temperature
    for c in scores.indices {
        let e = ((scores[c] - maxValue) * inverse).exponential
        scores[c] = e
        sum += e
    }
    let scale = 1 / sum
    for c in scores.indices { scores[c] *= scale }
}

extension Float {
    /// exp without Foundation (scoring path must not depend on libc wrappers being inlined).
    @inline(__always)
    var exponential: Float {
        // Range reduction: e^x = 2^k * e^r, r in [-ln2/2, ln2/2]; degree-6 Taylor polynomial.
        // NaN stays NaN (scores can overflow to inf - inf): `Int(k)` below would trap on it.
        if isNaN { return self }
        if self < -87 { return 0 }
        if self > 88 { return .infinity }
        let ln2: Float = 0.693_147_18
        let k = (self / ln2).rounded()
        let r = self - k * ln2
        var p: Float = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))))
        p *= Float(sign: .plus, exponent: Int(k), significand: 1)
        return p
    }
}
