internal import ArgumentParser
internal import Classifier
internal import Foundation

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify one message, or with --jsonl one JSON object per stdin line ({\"text\": ...}).",
        discussion: """
            Output: one JSON object per message with intent, confidence, margin, out_of_scope, top (k intents),             language, language_confidence, unfamiliar_language, tone (0..1), negative_tone and risks (term, category, language).             With --jsonl, an input object's "id" is copied to the output and "language"/"lang" is used as the language hint;             lines come out in input order.
            """)

    @Option(help: "Model file (default: $REPLYINTENT_MODEL, ./models/default.rimodel, or <executable>/../../models/default.rimodel).")
    var model: String?
    @Flag(help: "Read JSON lines from stdin, write one JSON line per input line, same order.") var jsonl = false
    @Option(help: "How many intents to list.") var top: Int = 3
    @Option(help: "Language hint (ISO 639-1), e.g. from the platform.") var languageHint: String?
    @Flag(help: "Intent fields only (works with a model file that has no language/tone/risk sections).") var intentOnly = false
    @Argument(help: "The message.") var text: String?

    func run() throws {
        let path = model ?? ModelFileIO.defaultModelPath()
        if intentOnly {
            let model: IntentModel
            do { model = try IntentModel.load(path: path) } catch { throw CLIError(error.message) }
            let scratch = IntentScratch()
            try forEachMessage { text, _, id in
                renderIntent(model.predict(text, scratch: scratch, topK: top), id: id)
            }
            return
        }
        let analyzer: MessageAnalyzer
        do { analyzer = try MessageAnalyzer.load(path: path) } catch { throw CLIError(error.message) }
        let scratch = AnalysisScratch()
        try forEachMessage { text, hint, id in
            render(analyzer.analyze(text: text, languageHint: hint, scratch: scratch, topK: top), id: id)
        }
    }

    /// Calls `answer` for the message argument, or for each JSON line on stdin with `--jsonl`
    /// (in input order; a line without a string "text" gets an error object), and prints each answer.
    private func forEachMessage(_ answer: (_ text: String, _ hint: String?, _ id: Any?) -> [String: Any]) throws {
        guard jsonl else {
            guard let text else { throw ValidationError("give a message, or --jsonl to read JSON lines from stdin") }
            print(jsonString(answer(text, languageHint, nil)))
            return
        }
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let text = object["text"] as? String
            else {
                print(jsonString(["error": "each line must be a JSON object with a string \"text\" field"]))
                continue
            }
            let hint = (object["language"] as? String) ?? (object["lang"] as? String) ?? languageHint
            print(jsonString(answer(text, hint, object["id"])))
        }
    }

    func renderIntent(_ prediction: IntentPrediction, id: Any?) -> [String: Any] {
        var object: [String: Any] = [
            "intent": prediction.intent,
            "confidence": Double(prediction.confidence),
            "margin": Double(prediction.margin),
            "out_of_scope": prediction.isOutOfScope,
            "top": prediction.top.map { ["intent": $0.label, "confidence": Double($0.confidence)] },
        ]
        if let id { object["id"] = id }
        return object
    }

    /// The intent fields, plus language, tone and risk.
    func render(_ analysis: Analysis, id: Any?) -> [String: Any] {
        var object = renderIntent(analysis.intent, id: id)
        object["language"] = analysis.language.code
        object["language_confidence"] = analysis.language.confidence
        object["unfamiliar_language"] = analysis.unfamiliarLanguage
        object["tone"] = analysis.tone
        object["negative_tone"] = analysis.negativeTone
        object["risks"] = analysis.risks.map { ["term": $0.term, "category": $0.category.rawValue, "language": $0.language] }
        return object
    }
}

func jsonString(_ object: [String: Any]) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
}
