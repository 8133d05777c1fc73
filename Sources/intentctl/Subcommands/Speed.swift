internal import Classifier
internal import Foundation

/// Single-thread scoring speed, one message at a time as the server scores: a warm-up pass,
/// then `rounds` passes over the messages, timing the whole loop (monotonic clock).
enum SpeedMeasurement {
    struct Result: Encodable {
        let messages: Int
        let loadMilliseconds: Double
        let intentMessagesPerSecond: Double
        let analyzeMessagesPerSecond: Double?
        let analyzerLoadMilliseconds: Double?
    }

    static func run(path: String, texts: [String], rounds: Int) throws -> Result {
        let clock = ContinuousClock()
        let loadStart = clock.now
        let model = try IntentModel.load(path: path)
        let loadMs = milliseconds(clock.now - loadStart)
        let scratch = IntentScratch()
        var sink = 0
        for text in texts { sink &+= model.predict(text, scratch: scratch).intent.utf8.count }
        let start = clock.now
        for _ in 0..<rounds {
            for text in texts { sink &+= model.predict(text, scratch: scratch).intent.utf8.count }
        }
        let intentRate = Double(texts.count * rounds) / (milliseconds(clock.now - start) / 1000)

        var analyzeRate: Double? = nil
        var analyzerLoadMs: Double? = nil
        let analyzerStart = clock.now
        if let analyzer = try? MessageAnalyzer.load(path: path) {
            analyzerLoadMs = milliseconds(clock.now - analyzerStart)
            let analysisScratch = AnalysisScratch()
            for text in texts { sink &+= analyzer.analyze(text: text, scratch: analysisScratch).risks.count }
            let analyzeStart = clock.now
            for _ in 0..<rounds {
                for text in texts { sink &+= analyzer.analyze(text: text, scratch: analysisScratch).risks.count }
            }
            analyzeRate = Double(texts.count * rounds) / (milliseconds(clock.now - analyzeStart) / 1000)
        }
        if sink == 42 { note("") }   // keep the results alive
        return Result(messages: texts.count * rounds, loadMilliseconds: loadMs, intentMessagesPerSecond: intentRate, analyzeMessagesPerSecond: analyzeRate, analyzerLoadMilliseconds: analyzerLoadMs)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }
}
