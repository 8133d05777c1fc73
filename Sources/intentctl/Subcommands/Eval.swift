internal import ArgumentParser
internal import Classifier
internal import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a model on labelled JSONL: accuracy, macro-F1, per-label and per-language scores, confusions, other recall, calibration.")

    @Option(help: "Model file (default: $REPLYINTENT_MODEL, ./models/default.rimodel, or <executable>/../../models/default.rimodel).")
    var model: String?
    @Option(help: "Labelled JSONL file(s), comma-separated.") var data: String?
    @Option(help: "Directory of authored *.jsonl: evaluate on its held-out 20 % (same split as train).") var authored: String?
    @Option(help: "Percentage of authored rows held out (must match train).") var heldOut: Int = 20
    @Option(help: "Threads.") var threads: Int = 2
    @Flag(help: "JSON output.") var json = false
    @Flag(help: "Also measure model load time and single-thread messages/second (one message at a time) on the --data messages.")
    var speed = false
    @Option(help: "Passes over the data for --speed.") var rounds: Int = 5

    func run() throws {
        let path = model ?? ModelFileIO.defaultModelPath()
        let intentModel: IntentModel
        do { intentModel = try IntentModel.load(path: path) } catch { throw CLIError(error.message) }
        guard data != nil || authored != nil else { throw ValidationError("give --data FILE and/or --authored DIR") }
        var reports: [(String, EvaluationReport)] = []
        if let data {
            let rows = try TrainingData.loadFiles(data)
            reports.append((data, IntentTrainer.evaluate(model: intentModel, rows: rows, threads: threads).0))
        }
        if let authored {
            let rows = TrainingData.splitAuthored(try TrainingData.loadAuthored(directory: authored), heldOutPercent: heldOut).heldOut
            reports.append(("authored held-out (\(authored))", IntentTrainer.evaluate(model: intentModel, rows: rows, threads: threads).0))
        }
        var speedResult: SpeedMeasurement.Result? = nil
        if speed, let data {
            speedResult = try SpeedMeasurement.run(path: path, texts: try TrainingData.loadFiles(data).map(\.text), rounds: rounds)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let object = EvalOutput(model: path, name: intentModel.metadata.name, version: intentModel.metadata.version,
                                    reports: reports.map { EvalOutput.Named(data: $0.0, report: $0.1) }, speed: speedResult)
            print(String(decoding: try encoder.encode(object), as: UTF8.self))
        } else {
            print("model: \(path) (\(intentModel.metadata.name) \(intentModel.metadata.version))")
            for (name, report) in reports { print(report.render(title: name)) }
            if let speedResult {
                print("speed (single thread, one message at a time, \(speedResult.messages) messages): "
                    + "load \(formatFixed(speedResult.loadMilliseconds, digits: 1)) ms, intent \(Int(speedResult.intentMessagesPerSecond)) msg/s"
                    + (speedResult.analyzeMessagesPerSecond.map { ", full analysis (intent+language+tone+risk) \(Int($0)) msg/s" } ?? "")
                    + (speedResult.analyzerLoadMilliseconds.map { ", full analyzer load \(formatFixed($0, digits: 1)) ms" } ?? ""))
            }
        }
    }
}

struct EvalOutput: Encodable {
    struct Named: Encodable {
        let data: String
        let report: EvaluationReport
    }
    let model: String
    let name: String
    let version: String
    let reports: [Named]
    let speed: SpeedMeasurement.Result?
}
