import Foundation

/// One labelled message, as in `../shared/data/intents/*.jsonl` and `Data/authored/*.jsonl`:
/// `{"text": ..., "label": ..., "lang": ...}` (other fields ignored).
public struct LabeledExample: Sendable, Equatable {
    public var text: String
    public var label: String
    public var language: String
    /// Where the row came from ("train.jsonl", "authored:es", ...), for reports.
    public var origin: String

    public init(text: String, label: String, language: String, origin: String = "") {
        self.text = text
        self.label = label
        self.language = language
        self.origin = origin
    }
}

public struct DatasetError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum JSONLDataset {
    /// Reads a JSONL file of labelled rows. Blank lines are skipped; a malformed line is an
    /// error naming the file and line.
    public static func load(path: String, origin: String? = nil) throws -> [LabeledExample] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError("cannot read \(path): no such file or not readable")
        }
        return try parse(data, name: path, origin: origin ?? (path as NSString).lastPathComponent)
    }

    public static func parse(_ data: Data, name: String, origin: String) throws -> [LabeledExample] {
        var rows: [LabeledExample] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw DatasetError("\(name):\(lineNumber): not a JSON object")
            }
            guard let text = object["text"] as? String else { throw DatasetError("\(name):\(lineNumber): missing \"text\"") }
            guard let label = object["label"] as? String else { throw DatasetError("\(name):\(lineNumber): missing \"label\"") }
            let language = (object["lang"] as? String) ?? (object["language"] as? String) ?? "und"
            rows.append(LabeledExample(text: text, label: label, language: language, origin: origin))
        }
        return rows
    }

    /// Deterministic split by a hash of the text: rows whose FNV-1a(text) mod 100 is below
    /// `percent` are held out. The same text always lands on the same side.
    public static func isHeldOut(_ text: String, percent: Int) -> Bool {
        splitBucket(text) < percent
    }

    /// FNV-1a 64 of the text's UTF-8 bytes, mod 100: which of 100 deterministic slices a row is in.
    public static func splitBucket(_ text: String) -> Int {
        Int(FNV1a.hash(bytes: text.utf8) % 100)
    }

    /// FNV-1a 64 over every row (text, label, language, in order): the training-data fingerprint.
    public static func fingerprint(_ rows: [LabeledExample]) -> UInt64 {
        var hasher = FNV1a()
        for row in rows {
            for byte in row.text.utf8 { hasher.combine(byte: byte) }
            hasher.combine(byte: 0x1F)
            for byte in row.label.utf8 { hasher.combine(byte: byte) }
            hasher.combine(byte: 0x1F)
            for byte in row.language.utf8 { hasher.combine(byte: byte) }
            hasher.combine(byte: 0x1E)
        }
        return hasher.value
    }
}
