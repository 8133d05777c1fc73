/// Accuracy of a language identifier on labelled sentences (e.g. `Data/langid/test`).
public struct LanguageEvaluation: Sendable {
    public var correct = 0
    public var total = 0
    public var perLanguage: [String: (correct: Int, total: Int)] = [:]
    /// (expected, guess, text) for every miss.
    public var mistakes: [(expected: String, guess: LanguageGuess, text: String)] = []

    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// One line per language: "de 20/20".
    public var summary: String {
        let parts = perLanguage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.correct)/\($0.value.total)" }
        return "\(correct)/\(total) (\((accuracy * 1000).rounded() / 10)%): " + parts.joined(separator: ", ")
    }
}

extension LanguageIdentifier {
    public func evaluate(_ samples: [LanguageSample]) -> LanguageEvaluation {
        var result = LanguageEvaluation()
        let scratch = FoldScratch()
        for sample in samples {
            let guess = identify(sample.text, hint: nil, scratch: scratch)
            result.total += 1
            result.perLanguage[sample.language, default: (0, 0)].total += 1
            if guess.code == sample.language {
                result.correct += 1
                result.perLanguage[sample.language]!.correct += 1
            } else {
                result.mistakes.append((sample.language, guess, sample.text))
            }
        }
        return result
    }
}
