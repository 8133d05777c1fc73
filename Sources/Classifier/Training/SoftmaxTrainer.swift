import Foundation

/// One training row: a feature vector, its class index and a weight (class or language
/// re-weighting; 1 when unused).
public struct TrainingExample: Sendable {
    public var features: SparseVector
    public var label: Int
    public var weight: Float

    public init(features: SparseVector, label: Int, weight: Float = 1) {
        self.features = features
        self.label = label
        self.weight = weight
    }
}

/// Multinomial logistic regression over hashed sparse features, trained by AdaGrad with an L2
/// penalty applied to the weights each example touches (lazy, sparse L2). Deterministic for a
/// given seed. Generic: the intent model and the tone model both use it.
public struct SoftmaxTrainer: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var epochs: Int = 8
        /// AdaGrad step size.
        public var learningRate: Float = 0.5
        /// L2 penalty per touched weight per update.
        public var l2: Float = 1e-6
        public var seed: UInt64 = 42
        /// Return the mean of the weights at the end of each epoch from this share of the run
        /// on (0.5 = average the last half of the epochs; 1 = last epoch only). Averaging
        /// smooths the last steps of the optimiser and usually generalises better.
        public var averageFrom: Double = 1

        public init(epochs: Int = 8, learningRate: Float = 0.5, l2: Float = 1e-6, seed: UInt64 = 42, averageFrom: Double = 1) {
            self.epochs = epochs
            self.learningRate = learningRate
            self.l2 = l2
            self.seed = seed
            self.averageFrom = averageFrom
        }
    }

    public struct EpochReport: Sendable {
        public let epoch: Int
        public let epochs: Int
        /// Weighted mean cross-entropy over the epoch's examples (before each update).
        public let loss: Double
        /// Share of examples the model got right before updating on them.
        public let accuracy: Double
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    public func train(
        examples: [TrainingExample], classCount: Int, dimension: Int,
        progress: (EpochReport) -> Void = { _ in }
    ) -> LinearWeights {
        precondition(classCount > 1 && dimension > 0)
        let k = classCount
        var w = [Float](repeating: 0, count: dimension * k)
        var g = [Float](repeating: 0, count: dimension * k)
        var b = [Float](repeating: 0, count: k)
        var gb = [Float](repeating: 0, count: k)
        var order = Array(examples.indices)
        var rng = SplitMix64(seed: configuration.seed)
        var p = [Float](repeating: 0, count: k)
        let eta = configuration.learningRate
        let l2 = configuration.l2
        let epsilon: Float = 1e-8
        let epochs = max(1, configuration.epochs)
        let firstAveraged = min(epochs, max(1, Int((Double(epochs) * configuration.averageFrom).rounded(.up))))
        var averageW: [Float] = []
        var averageB = [Float](repeating: 0, count: k)
        var averaged = 0

        for epoch in 1...epochs {
            rng.shuffle(&order)
            var lossSum = 0.0
            var weightSum = 0.0
            var correct = 0
            for index in order {
                let example = examples[index]
                let x = example.features
                // Forward pass.
                for c in 0..<k { p[c] = b[c] }
                for i in 0..<x.indices.count {
                    let row = Int(x.indices[i]) * k
                    let v = x.values[i]
                    for c in 0..<k { p[c] += w[row + c] * v }
                }
                var best = 0
                for c in 1..<k where p[c] > p[best] { best = c }
                if best == example.label { correct += 1 }
                softmaxInPlace(&p)
                let y = example.label
                lossSum -= Double(example.weight) * log(Double(max(p[y], 1e-12)))
                weightSum += Double(example.weight)
                // Gradient of the weighted cross-entropy: (p - onehot(y)) * weight.
                for c in 0..<k { p[c] *= example.weight }
                p[y] -= example.weight
                for c in 0..<k {
                    let grad = p[c]
                    gb[c] += grad * grad
                    b[c] -= eta * grad / (gb[c] + epsilon).squareRoot()
                }
                for i in 0..<x.indices.count {
                    let row = Int(x.indices[i]) * k
                    let v = x.values[i]
                    for c in 0..<k {
                        let grad = p[c] * v + l2 * w[row + c]
                        let accumulated = g[row + c] + grad * grad
                        g[row + c] = accumulated
                        w[row + c] -= eta * grad / (accumulated + epsilon).squareRoot()
                    }
                }
            }
            if epoch >= firstAveraged && firstAveraged < epochs {
                if averageW.isEmpty { averageW = [Float](repeating: 0, count: w.count) }
                averaged += 1
                let rate = 1 / Float(averaged)   // running mean
                for i in 0..<w.count { averageW[i] += (w[i] - averageW[i]) * rate }
                for c in 0..<k { averageB[c] += (b[c] - averageB[c]) * rate }
            }
            progress(EpochReport(
                epoch: epoch, epochs: configuration.epochs,
                loss: weightSum > 0 ? lossSum / weightSum : 0,
                accuracy: examples.isEmpty ? 0 : Double(correct) / Double(examples.count)))
        }
        if averaged > 0 { return LinearWeights(dimension: dimension, classCount: k, weights: averageW, bias: averageB) }
        return LinearWeights(dimension: dimension, classCount: k, weights: w, bias: b)
    }
}

/// SplitMix64: a small, seedable generator so training is reproducible run to run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fisher–Yates with this generator (the standard library's `shuffle(using:)` does not
    /// promise the same order across Swift versions).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            array.swapAt(i, j)
        }
    }
}
