import Classifier
import Foundation

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

    /// Splits authored rows into (train, held out): 20 % by a hash of the text.
    static func splitAuthored(_ rows: [LabeledExample], heldOutPercent: Int) -> (train: [LabeledExample], heldOut: [LabeledExample]) {
        var train: [LabeledExample] = [], heldOut: [LabeledExample] = []
        for row in rows {
            if JSONLDataset.isHeldOut(row.text, percent: heldOutPercent) { heldOut.append(row) } else { train.append(row) }
        }
        return (train, heldOut)
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
