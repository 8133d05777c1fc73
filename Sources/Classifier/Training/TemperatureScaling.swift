import Foundation

/// Fits the softmax temperature T that minimises the negative log-likelihood of held-out
/// labels (Guo et al. 2017, "On Calibration of Modern Neural Networks"): a 1-D golden-section
/// search over log T. Only T changes, so the argmax (and accuracy) stays the same.
public enum TemperatureScaling {
    /// The temperatures a model file may hold. `fit` searches e^-3 ... e^3 (0.05 ... 20); outside
    /// this wider range the scaled scores overflow (1 / T is infinite below ~3e-39).
    public static let loadableRange: ClosedRange<Float> = 0.001...1000

    /// `logits[i]` are the raw scores of example i, `labels[i]` its class index.
    public static func fit(logits: [[Float]], labels: [Int], range: ClosedRange<Double> = -3...3) -> Float {
        precondition(logits.count == labels.count)
        guard !logits.isEmpty else { return 1 }
        var low = range.lowerBound, high = range.upperBound
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = negativeLogLikelihood(logits, labels, temperature: exp(a))
        var fb = negativeLogLikelihood(logits, labels, temperature: exp(b))
        for _ in 0..<60 {
            if fa < fb {
                high = b; b = a; fb = fa
                a = high - ratio * (high - low)
                fa = negativeLogLikelihood(logits, labels, temperature: exp(a))
            } else {
                low = a; a = b; fa = fb
                b = low + ratio * (high - low)
                fb = negativeLogLikelihood(logits, labels, temperature: exp(b))
            }
        }
        return Float(exp((low + high) / 2))
    }

    public static func negativeLogLikelihood(_ logits: [[Float]], _ labels: [Int], temperature: Double) -> Double {
        var total = 0.0
        for (row, label) in zip(logits, labels) {
            var maxValue = -Double.infinity
            for z in row { maxValue = max(maxValue, Double(z)) }
            var sum = 0.0
            for z in row { sum += exp((Double(z) - maxValue) / temperature) }
            total -= (Double(row[label]) - maxValue) / temperature - log(sum)
        }
        return total / Double(logits.count)
    }
}
