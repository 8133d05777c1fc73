import Foundation

/// The three per-message signal models owned together: language, tone, risk lexicon. A
/// convenience for the model file and for `intentctl train`; `MessageAnalyzer` can hold this or
/// the three models directly.
public struct MessageSignals: Sendable {
    public let language: LanguageIdentifier
    public let tone: ToneScorer
    public let risk: RiskLexicon

    public init(language: LanguageIdentifier, tone: ToneScorer, risk: RiskLexicon) {
        self.language = language
        self.tone = tone
        self.risk = risk
    }

    /// Model-file sections "LANG", "TONE", "RISK".
    public func sections() -> [ModelFile.Section] {
        [
            ModelFile.Section(tag: LanguageIdentifier.sectionTag) { language.write(to: &$0) },
            ModelFile.Section(tag: ToneScorer.sectionTag) { tone.write(to: &$0) },
            ModelFile.Section(tag: RiskLexicon.sectionTag) { risk.write(to: &$0) },
        ]
    }

    /// Reads the three sections of a decoded model file.
    public init(modelFile: ModelFile) throws(ModelFileError) {
        var reader = try modelFile.requireSection(LanguageIdentifier.sectionTag).reader()
        let language = try LanguageIdentifier(reading: &reader)
        try reader.expectEnd()
        reader = try modelFile.requireSection(ToneScorer.sectionTag).reader()
        let tone = try ToneScorer(reading: &reader)
        try reader.expectEnd()
        reader = try modelFile.requireSection(RiskLexicon.sectionTag).reader()
        let risk = try RiskLexicon(reading: &reader)
        try reader.expectEnd()
        self.init(language: language, tone: tone, risk: risk)
    }

    /// Language, tone and risk of one message from a single fold of its text. `scratch` is the
    /// caller's per-call (or per-thread) buffer.
    public func analyze(_ text: String, languageHint: String? = nil, scratch: FoldScratch) -> (language: LanguageGuess, tone: Double, risks: [RiskHit]) {
        ScalarFold.fold(text, into: scratch)
        let guess = language.identifyFolded(scratch, hint: languageHint)
        let toneScore = tone.scoreFolded(scratch)
        let hits = risk.matchesInFolded(scratch, language: guess.code)
        return (guess, toneScore, hits)
    }

    /// Trains all three from the project's data (I/O, for `intentctl train`):
    /// language on `Data/langid/train` + `Data/tone` + `Data/authored` (+ `<shared>/intents/train.jsonl`),
    /// tone on `Data/tone` + `Data/authored` intents (+ wisesight and PRDECT-ID from `<shared>/sentiment`,
    /// wisesight only when `gunzip` is given) with the anger words of `Data/lexicons/anger.tsv`, risk from
    /// `Data/lexicons/risk.tsv`. `log` gets one
    /// line per step with the held-out accuracies.
    public static func train(
        projectDirectory: String, sharedDataDirectory: String?,
        gunzip: (([UInt8]) throws -> [UInt8])?, log: (String) -> Void = { _ in }
    ) throws -> MessageSignals {
        func path(_ base: String, _ relative: String) -> String { (base as NSString).appendingPathComponent(relative) }

        let intents = sharedDataDirectory.map { path($0, "intents/train.jsonl") }
        let languageSamples = try LanguageCorpus.trainingSamples(projectDirectory: projectDirectory, intentsTrain: intents)
        let language = try LanguageIdentifier.train(samples: languageSamples) { report in
            let counts = report.sentencesPerLanguage.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            log("language: \(counts.joined(separator: " ")); temperature \(report.temperature); "
                + "held-out accuracy \(Self.percent(report.calibrationAccuracy)) on \(report.calibrationSentences) sentences/fragments")
        }

        var toneSamples = try ToneCorpus.loadAuthored(directory: path(projectDirectory, "Data/tone"))
        toneSamples += try ToneCorpus.loadIntentRows(directory: path(projectDirectory, "Data/authored"))
        if let shared = sharedDataDirectory {
            if let gunzip {
                toneSamples += try ToneCorpus.loadWisesight(directory: path(shared, "sentiment/wisesight"), gunzip: gunzip)
            } else {
                log("tone: no gunzip given, wisesight (Thai) skipped")
            }
            toneSamples += try ToneCorpus.loadPrdect(path: path(shared, "sentiment/prdect_id/PRDECT-ID_Dataset.csv"))
        }
        let angerPath = path(projectDirectory, "Data/lexicons/anger.tsv")
        guard let angerText = try? String(contentsOfFile: angerPath, encoding: .utf8) else {
            throw DatasetError("cannot read \(angerPath)")
        }
        let angerTerms: [ToneTerm]
        do { angerTerms = try ToneTerm.parseTSV(angerText) } catch { throw DatasetError("\(angerPath): \(error)") }
        let tone = try ToneScorer.train(samples: toneSamples, angerTerms: angerTerms) { report in
            for (source, result) in report.sources.sorted(by: { $0.key < $1.key }) {
                log("tone: \(source) held-out accuracy \(Self.percent(result.accuracy)) on \(result.heldOut) "
                    + "(majority class \(Self.percent(result.majorityBaseline)); trained on \(result.trained))")
            }
        }

        let lexiconPath = path(projectDirectory, "Data/lexicons/risk.tsv")
        guard let lexiconText = try? String(contentsOfFile: lexiconPath, encoding: .utf8) else {
            throw DatasetError("cannot read \(lexiconPath)")
        }
        let risk: RiskLexicon
        do { risk = try RiskLexicon(tsv: lexiconText) } catch { throw DatasetError("\(lexiconPath): \(error)") }
        log("risk: \(risk.terms.count) terms, \(risk.patternCount) spellings, "
            + "\(Set(risk.terms.map(\.language)).count) languages")
        return MessageSignals(language: language, tone: tone, risk: risk)
    }

    private static func percent(_ value: Double) -> String {
        "\((value * 1000).rounded() / 10)%"
    }
}
