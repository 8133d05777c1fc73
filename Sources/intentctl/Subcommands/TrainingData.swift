internal import Classifier
internal import Foundation

/// Loading the training sets shared by `train` and `eval`.
enum TrainingData {
    /// Every `*.jsonl` in `directory`, as rows with origin "authored:<file stem>", sorted by file.
    static func loadAuthored(directory: String) throws -> [LabeledExample] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            throw DatasetError("cannot list authored examples in \(directory)")
        }
        var rows: [LabeledExample] = []
        for name in names.sorted() where name.hasSuffix(".jsonl") {
            let stem = String(name.dropLast(6))
            rows += try JSONLDataset.load(path: directory + "/" + name, origin: "authored:" + stem)
        }
        return rows
    }

    /// Splits authored rows by FNV-1a(text) mod 100: [0, heldOut) held out (reported only),
    /// [heldOut, heldOut + tune) tuning rows (threshold choice, not trained on), the rest train.
    static func splitAuthored(_ rows: [LabeledExample], heldOutPercent: Int, tunePercent: Int = 0)
        -> (train: [LabeledExample], heldOut: [LabeledExample], tune: [LabeledExample])
    {
        var train: [LabeledExample] = [], heldOut: [LabeledExample] = [], tune: [LabeledExample] = []
        for row in rows {
            let bucket = JSONLDataset.splitBucket(row.text)
            if bucket < heldOutPercent {
                heldOut.append(row)
            } else if bucket < heldOutPercent + tunePercent {
                tune.append(row)
            } else {
                train.append(row)
            }
        }
        return (train, heldOut, tune)
    }

    static func loadFiles(_ list: String) throws -> [LabeledExample] {
        var rows: [LabeledExample] = []
        for path in list.split(separator: ",").map(String.init) where !path.isEmpty {
            rows += try JSONLDataset.load(path: path)
        }
        return rows
    }
}

/// Writes progress/diagnostics to stderr so stdout stays machine-readable.
func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A failure to report as "Error: <message>" without the usage text (bad files, not bad flags).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
