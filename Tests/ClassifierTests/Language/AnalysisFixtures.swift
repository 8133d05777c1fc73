import Foundation
@testable import Classifier

/// Paths and trained models shared by the language, tone and risk tests. Models are trained
/// once per test process (Swift globals are initialised lazily and thread-safely).
enum AnalysisFixtures {
    /// The package root (this file is Tests/ClassifierTests/Language/AnalysisFixtures.swift).
    static let projectDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func projectPath(_ relative: String) -> String {
        (projectDirectory as NSString).appendingPathComponent(relative)
    }

    /// `../shared/data` beside the project, when present.
    static let sharedData: String? = {
        let path = ((projectDirectory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    static let lexicon: RiskLexicon = {
        let text = try! String(contentsOfFile: projectPath("Data/lexicons/risk.tsv"), encoding: .utf8)
        return try! RiskLexicon(tsv: text)
    }()

    static let languageIdentifier: LanguageIdentifier = {
        let intents = sharedData.map { ($0 as NSString).appendingPathComponent("intents/train.jsonl") }
        let samples = try! LanguageCorpus.trainingSamples(projectDirectory: projectDirectory, intentsTrain: intents)
        return try! LanguageIdentifier.train(samples: samples) { report in
            print("language training: \(report.sentencesPerLanguage.sorted { $0.key < $1.key })")
            print("language calibration: T=\(report.temperature) accuracy \(report.calibrationAccuracy) on \(report.calibrationSentences)")
        }
    }()

    /// Tone model trained on the authored examples plus a deterministic slice of the public
    /// sentiment data (a slice keeps debug-build test time reasonable; `intentctl train` uses all).
    static let toneScorer: ToneScorer = {
        var samples = try! ToneCorpus.loadAuthored(directory: projectPath("Data/tone"))
        samples += try! ToneCorpus.loadIntentRows(directory: projectPath("Data/authored"))
        if let shared = sharedData {
            let wisesight = try! ToneCorpus.loadWisesight(directory: (shared as NSString).appendingPathComponent("sentiment/wisesight"),
                                                         gunzip: gunzip)
            samples += wisesight.enumerated().filter { $0.offset % 6 == 0 }.map(\.element)
            let prdect = try! ToneCorpus.loadPrdect(path: (shared as NSString).appendingPathComponent("sentiment/prdect_id/PRDECT-ID_Dataset.csv"))
            samples += prdect.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        }
        let anger = try! ToneTerm.parseTSV(String(contentsOfFile: projectPath("Data/lexicons/anger.tsv"), encoding: .utf8))
        return try! ToneScorer.train(samples: samples, angerTerms: anger) { report in
            for (source, result) in report.sources.sorted(by: { $0.key < $1.key }) {
                print("tone held-out \(source): \(result.correct)/\(result.heldOut) = \(result.accuracy) (majority \(result.majorityBaseline), trained on \(result.trained))")
            }
        }
    }()

    /// gunzip through the system `gzip` (the Classifier module does not link zlib).
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("k2-\(UUID().uuidString).gz")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DatasetError("gzip -dc failed for \(input.path)") }
        return [UInt8](data)
    }
}
