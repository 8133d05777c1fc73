import Foundation

/// Reads the language-identification sentences (for `intentctl train` and the tests; never on
/// the scoring path): `Data/langid/{train,test}/<lang>.txt` (one sentence a line), the
/// `text`/`lang` of labelled JSONL rows (`../shared/data/intents/train.jsonl`,
/// `Data/authored/*.jsonl`) and the tone examples `Data/tone/<lang>.tsv`.
public enum LanguageCorpus {
    /// `<directory>/<lang>.txt` files: every non-blank line is a sentence of `<lang>`.
    public static func loadSentences(directory: String) throws -> [LanguageSample] {
        var samples: [LanguageSample] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".txt") {
            let language = String(name.dropLast(4))
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw DatasetError("cannot read \(path) as UTF-8")
            }
            for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
                samples.append(LanguageSample(text: String(line), language: language))
            }
        }
        return samples
    }

    /// The text and language of every row of a labelled JSONL file.
    public static func loadJSONL(path: String) throws -> [LanguageSample] {
        try JSONLDataset.load(path: path).map { LanguageSample(text: $0.text, language: $0.language) }
    }

    /// Everything the identifier trains on: `<project>/Data/langid/train`, `<project>/Data/tone`,
    /// `<project>/Data/authored/*.jsonl` and, when `intentsTrain` is given, that file's rows.
    /// The project's own sentences come first (`LanguageIdentifier.train` caps each language by
    /// input order). `Data/langid/test` is held back for evaluation and never included.
    public static func trainingSamples(projectDirectory: String, intentsTrain: String?) throws -> [LanguageSample] {
        let data = (projectDirectory as NSString).appendingPathComponent("Data")
        var samples = try loadSentences(directory: (data as NSString).appendingPathComponent("langid/train"))
        let tone = (data as NSString).appendingPathComponent("tone")
        if FileManager.default.fileExists(atPath: tone) {
            samples += try ToneCorpus.loadAuthored(directory: tone).map { LanguageSample(text: $0.text, language: $0.language) }
        }
        let authored = (data as NSString).appendingPathComponent("authored")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: authored) {
            for name in names.sorted() where name.hasSuffix(".jsonl") {
                samples += try loadJSONL(path: (authored as NSString).appendingPathComponent(name))
            }
        }
        if let intentsTrain {
            // Shuffled (deterministically) so a per-language cap keeps a mix of its sources.
            var rows = try loadJSONL(path: intentsTrain)
            var rng = SplitMix64(seed: 0x1D5)
            rng.shuffle(&rows)
            samples += rows
        }
        return samples
    }
}
