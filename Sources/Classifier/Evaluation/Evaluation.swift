/// Metrics for an intent model on labelled rows: accuracy, macro-F1, per-label
/// precision/recall/F1, per-language accuracy, worst confusions, `other` recall, the share of
/// in-scope messages sent to `other`, and expected calibration error (15 equal-width bins over
/// the top-1 confidence, comparing confidence with accuracy of the *decided* intent).
public struct EvaluationReport: Sendable, Codable {
    public struct LabelScore: Sendable, Codable {
        public let label: String
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let support: Int
    }

    public struct LanguageScore: Sendable, Codable {
        public let language: String
        public let accuracy: Double
        public let count: Int
    }

    public struct Confusion: Sendable, Codable {
        public let expected: String
        public let predicted: String
        public let count: Int
    }

    public let count: Int
    public let accuracy: Double
    public let macroF1: Double
    public let labels: [LabelScore]
    public let languages: [LanguageScore]
    public let confusions: [Confusion]
    public let otherRecall: Double?
    public let inScopeToOther: Double?
    public let expectedCalibrationError: Double

    public init(expected: [String], predicted: [String], languages: [String], confidences: [Double], labelSet: [String], otherLabel: String = "other", topConfusions: Int = 10) {
        precondition(expected.count == predicted.count && expected.count == languages.count && expected.count == confidences.count)
        let n = expected.count
        count = n
        var correct = 0
        var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:], support: [String: Int] = [:]
        var byLanguage: [String: (Int, Int)] = [:]
        var confusionCounts: [String: Int] = [:]
        var otherTotal = 0, otherHit = 0, inScopeTotal = 0, inScopeToOtherCount = 0
        for i in 0..<n {
            let e = expected[i], p = predicted[i]
            support[e, default: 0] += 1
            var lang = byLanguage[languages[i]] ?? (0, 0)
            lang.1 += 1
            if e == p {
                correct += 1
                tp[e, default: 0] += 1
                lang.0 += 1
            } else {
                fp[p, default: 0] += 1
                fn[e, default: 0] += 1
                confusionCounts[e + "\u{1F}" + p, default: 0] += 1
            }
            byLanguage[languages[i]] = lang
            if e == otherLabel {
                otherTotal += 1
                if p == otherLabel { otherHit += 1 }
            } else {
                inScopeTotal += 1
                if p == otherLabel { inScopeToOtherCount += 1 }
            }
        }
        accuracy = n > 0 ? Double(correct) / Double(n) : 0
        let present = labelSet.filter { (support[$0] ?? 0) > 0 || (fp[$0] ?? 0) > 0 }
        labels = present.map { label in
            let t = Double(tp[label] ?? 0), f = Double(fp[label] ?? 0), m = Double(fn[label] ?? 0)
            let precision = t + f > 0 ? t / (t + f) : 0
            let recall = t + m > 0 ? t / (t + m) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return LabelScore(label: label, precision: precision, recall: recall, f1: f1, support: support[label] ?? 0)
        }
        let withSupport = labels.filter { $0.support > 0 }
        macroF1 = withSupport.isEmpty ? 0 : withSupport.map(\.f1).reduce(0, +) / Double(withSupport.count)
        self.languages = byLanguage.keys.sorted().map { key in
            let (hit, total) = byLanguage[key]!
            return LanguageScore(language: key, accuracy: Double(hit) / Double(total), count: total)
        }
        confusions = confusionCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(topConfusions).map { key, value in
                let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
                return Confusion(expected: String(parts[0]), predicted: String(parts[1]), count: value)
            }
        otherRecall = otherTotal > 0 ? Double(otherHit) / Double(otherTotal) : nil
        inScopeToOther = inScopeTotal > 0 ? Double(inScopeToOtherCount) / Double(inScopeTotal) : nil
        // Expected calibration error.
        let bins = 15
        var binCount = [Int](repeating: 0, count: bins)
        var binConfidence = [Double](repeating: 0, count: bins)
        var binCorrect = [Double](repeating: 0, count: bins)
        for i in 0..<n {
            let c = min(max(confidences[i], 0), 1)
            let b = min(bins - 1, Int(c * Double(bins)))
            binCount[b] += 1
            binConfidence[b] += c
            if expected[i] == predicted[i] { binCorrect[b] += 1 }
        }
        var ece = 0.0
        for b in 0..<bins where binCount[b] > 0 {
            let k = Double(binCount[b])
            ece += k / Double(max(n, 1)) * abs(binConfidence[b] / k - binCorrect[b] / k)
        }
        expectedCalibrationError = ece
    }

    /// Human-readable report.
    public func render(title: String) -> String {
        func pct(_ x: Double) -> String { String(format3(x * 100)) + "%" }
        var lines: [String] = []
        lines.append("\(title): \(count) messages")
        lines.append("  accuracy      \(format4(accuracy))")
        lines.append("  macro-F1      \(format4(macroF1))")
        if let otherRecall { lines.append("  other recall  \(format4(otherRecall))") }
        if let inScopeToOther { lines.append("  in-scope → other  \(pct(inScopeToOther))") }
        lines.append("  calibration error (ECE, 15 bins)  \(format4(expectedCalibrationError))")
        lines.append("  per label:            precision  recall     F1  support")
        for score in labels {
            lines.append("    " + pad(score.label, 20) + pad(format3(score.precision), 9, left: true) + pad(format3(score.recall), 9, left: true)
                + pad(format3(score.f1), 7, left: true) + pad(String(score.support), 9, left: true))
        }
        lines.append("  per language:  accuracy  count")
        for score in languages {
            lines.append("    " + pad(score.language, 12) + pad(format3(score.accuracy), 10, left: true) + pad(String(score.count), 7, left: true))
        }
        if !confusions.isEmpty {
            lines.append("  worst confusions (expected → predicted: count):")
            for confusion in confusions { lines.append("    \(confusion.expected) → \(confusion.predicted): \(confusion.count)") }
        }
        return lines.joined(separator: "\n")
    }
}

func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
    let n = s.count
    if n >= width { return s }
    let padding = String(repeating: " ", count: width - n)
    return left ? padding + s : s + padding
}

/// Fixed-point formatting without Foundation's String(format:).
public func formatFixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let negative = value < 0
    let scaled = (abs(value) * scale).rounded()
    let integer = Int(scaled / scale)
    let fraction = Int(scaled - Double(integer) * scale)
    var fractionText = String(fraction)
    while fractionText.count < digits { fractionText = "0" + fractionText }
    return (negative && scaled != 0 ? "-" : "") + String(integer) + (digits > 0 ? "." + fractionText : "")
}

func format3(_ x: Double) -> String { formatFixed(x, digits: 3) }
func format4(_ x: Double) -> String { formatFixed(x, digits: 4) }
