import Testing
@testable import Classifier

@Suite struct SoftmaxTrainerTests {
    @Test func separatesLinearlySeparableClasses() {
        // Class = which of the features 0/1/2 is present.
        var examples: [TrainingExample] = []
        for i in 0..<60 {
            let label = i % 3
            examples.append(TrainingExample(features: SparseVector(indices: [UInt32(label), 3 + UInt32(i % 5)], values: [1, 0.5]), label: label))
        }
        var reports: [SoftmaxTrainer.EpochReport] = []
        let weights = SoftmaxTrainer(configuration: .init(epochs: 5)).train(examples: examples, classCount: 3, dimension: 8) { reports.append($0) }
        #expect(reports.count == 5)
        #expect(reports.last!.loss < reports.first!.loss)
        var scores: [Float] = []
        for label in 0..<3 {
            weights.logits(SparseVector(indices: [UInt32(label)], values: [1]), into: &scores)
            #expect(scores.firstIndex(of: scores.max()!) == label)
        }
    }

    @Test func exampleWeightsShiftTheDecision() {
        // The same feature labelled 0 and 1; weighting class 1 ten times wins.
        let x = SparseVector(indices: [0], values: [1])
        let examples = [TrainingExample(features: x, label: 0, weight: 1), TrainingExample(features: x, label: 1, weight: 10)]
        let weights = SoftmaxTrainer(configuration: .init(epochs: 20)).train(examples: examples, classCount: 2, dimension: 1)
        var scores: [Float] = []
        weights.logits(x, into: &scores)
        #expect(scores[1] > scores[0])
    }

    @Test func softmaxAndExpAreAccurate() {
        for x: Float in [-20, -3, -0.5, 0, 0.1, 1, 5, 30] {
            let reference = Float(exp(Double(x)))
            #expect(abs(x.exponential - reference) <= reference * 1e-5)
        }
        var scores: [Float] = [1, 2, 3]
        softmaxInPlace(&scores)
        #expect(abs(scores.reduce(0, +) - 1) < 1e-6)
        #expect(scores[2] > scores[1] && scores[1] > scores[0])
        var hot: [Float] = [1, 2, 3]
        softmaxInPlace(&hot, temperature: 0.1)
        #expect(hot[2] > 0.99)
    }

    @Test func temperatureScalingFindsTheNLLMinimum() {
        // Over-confident logits for a 60 % accurate model: the fitted T must soften them (> 1).
        var logits: [[Float]] = []
        var labels: [Int] = []
        for i in 0..<100 {
            logits.append([2, 0])
            labels.append(i < 60 ? 0 : 1)
        }
        let t = TemperatureScaling.fit(logits: logits, labels: labels)
        // Optimum: softmax(2/T) = 0.6 → T = 2 / ln(1.5).
        #expect(abs(Double(t) - 2 / log(1.5)) < 0.05)
    }
}

import Foundation
