import Foundation

/// Reads tone training data (for `intentctl train` and the tests; never on the scoring path):
/// - `Data/tone/<lang>.tsv`: the project's own examples, `neg<TAB>text` or `calm<TAB>text`;
/// - `Data/authored/*.jsonl` intent rows: `complaint` negative, informational intents calm;
/// - `../shared/data/sentiment/wisesight/{neg,neu,pos,q}.txt.gz` (Thai): neg vs. the rest;
/// - `../shared/data/sentiment/prdect_id/PRDECT-ID_Dataset.csv` (Indonesian): Emotion Anger or
///   Sentiment Negative vs. the rest.
public enum ToneCorpus {
    public static func loadAuthored(directory: String) throws -> [ToneSample] {
        var samples: [ToneSample] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".tsv") {
            let language = String(name.dropLast(4))
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw DatasetError("cannot read \(path) as UTF-8")
            }
            var lineNumber = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
                let fields = line.split(separator: "\t", maxSplits: 1)
                guard fields.count == 2, fields[0] == "neg" || fields[0] == "calm" else {
                    throw DatasetError("\(path):\(lineNumber): expected \"neg<TAB>text\" or \"calm<TAB>text\"")
                }
                samples.append(ToneSample(text: String(fields[1]), negative: fields[0] == "neg",
                                          language: language, source: "authored"))
            }
        }
        return samples
    }

    /// Intent labels of the authored buyer messages (`Data/authored/*.jsonl`) read as tone:
    /// `complaint` is negative, informational intents are calm; mixed intents (delivery problems,
    /// refunds, cancellations...) are left out.
    public static let calmIntents: Set<String> = [
        "greeting", "thanks_goodbye", "product_question", "size_question", "price_discount", "shipping_info",
        "payment_methods", "place_order", "invoice", "change_address", "account", "order_status",
    ]

    /// Weakly labelled tone samples from labelled intent rows (source "authored_intents").
    public static func fromIntentRows(_ rows: [LabeledExample]) -> [ToneSample] {
        rows.compactMap { row in
            if row.label == "complaint" {
                return ToneSample(text: row.text, negative: true, language: row.language, source: "authored_intents")
            }
            if calmIntents.contains(row.label) {
                return ToneSample(text: row.text, negative: false, language: row.language, source: "authored_intents")
            }
            return nil
        }
    }

    /// `fromIntentRows` over every `*.jsonl` in `directory` (missing directory: none).
    public static func loadIntentRows(directory: String) throws -> [ToneSample] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var samples: [ToneSample] = []
        for name in names.sorted() where name.hasSuffix(".jsonl") {
            samples += fromIntentRows(try JSONLDataset.load(path: (directory as NSString).appendingPathComponent(name)))
        }
        return samples
    }

    /// Wisesight sentiment files; `gunzip` turns the `.txt.gz` bytes into text bytes (the caller
    /// supplies it: this module does not link zlib).
    public static func loadWisesight(directory: String, gunzip: ([UInt8]) throws -> [UInt8]) throws -> [ToneSample] {
        var samples: [ToneSample] = []
        for name in ["neg", "neu", "pos", "q"] {
            let path = (directory as NSString).appendingPathComponent("\(name).txt.gz")
            guard let data = FileManager.default.contents(atPath: path) else { throw DatasetError("cannot read \(path)") }
            let bytes = try gunzip([UInt8](data))
            let text = String(decoding: bytes, as: UTF8.self)
            for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
                samples.append(ToneSample(text: String(line), negative: name == "neg", language: "th", source: "wisesight"))
            }
        }
        return samples
    }

    /// PRDECT-ID reviews (CSV with quoted fields).
    public static func loadPrdect(path: String) throws -> [ToneSample] {
        guard let data = FileManager.default.contents(atPath: path) else { throw DatasetError("cannot read \(path)") }
        let rows = parseCSV(String(decoding: data, as: UTF8.self))
        guard let header = rows.first,
              let review = header.firstIndex(of: "Customer Review"),
              let sentiment = header.firstIndex(of: "Sentiment"),
              let emotion = header.firstIndex(of: "Emotion") else {
            throw DatasetError("\(path): expected columns Customer Review, Sentiment, Emotion")
        }
        var samples: [ToneSample] = []
        for row in rows.dropFirst() where row.count > max(review, sentiment, emotion) {
            let text = row[review]
            guard !text.allSatisfy(\.isWhitespace) else { continue }
            let negative = row[emotion] == "Anger" || row[sentiment] == "Negative"
            samples.append(ToneSample(text: text, negative: negative, language: "id", source: "prdect_id"))
        }
        return samples
    }

    /// RFC 4180 CSV: commas, double-quoted fields with "" escapes and embedded newlines.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\n":
                row.append(field); field = ""
                rows.append(row); row = []
            case "\r": break
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
