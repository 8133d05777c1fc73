import Classifier

/// A tiny model file (a few KB: 2^8 hash buckets), trained by the same code as the default model
/// on a handful of messages, with every section the service reads (META INTN LANG TONE RISK);
/// and the same file cut into its sections, each alone, so the fuzzer also starts from small
/// inputs of each section reader.
enum ModelSeeds {
    static let rows: [(String, String, String)] = [
        ("where is my order", "order_status", "en"), ("when will my parcel arrive", "order_status", "en"),
        ("track my package please", "order_status", "en"), ("dónde está mi pedido", "order_status", "es"),
        ("I want my money back", "refund_request", "en"), ("please refund me", "refund_request", "en"),
        ("quiero un reembolso", "refund_request", "es"), ("refund the payment", "refund_request", "en"),
        ("hi", "greeting", "en"), ("hello there", "greeting", "en"), ("hola", "greeting", "es"),
        ("good morning", "greeting", "en"), ("set an alarm for 7am", "other", "en"),
        ("what is the weather tomorrow", "other", "en"), ("tell me a joke", "other", "en"),
        ("play some jazz music", "other", "en"),
    ]

    static func write(to writer: CorpusWriter) throws {
        var options = IntentTrainingOptions()
        options.features.bucketBits = 8
        options.trainer.epochs = 5
        options.threads = 1
        options.inScopeMinimum = 2
        let examples = rows.map { LabeledExample(text: $0.0, label: $0.1, language: $0.2, origin: "fuzz-seeds") }
        let trained = IntentTrainer.train(rows: examples, dev: examples, options: options).model
        var metadata = trained.metadata
        metadata.createdAt = 1_733_000_000_000  // a fixed time: the same seed on every run
        let intents = trained.with(metadata: metadata)

        var language = LanguageTrainingConfiguration()
        language.bucketBits = 8
        language.minimumExtraLanguageSamples = 1
        language.calibrationStride = 3
        let sentences = [
            ("where is my order and when will it arrive", "en"), ("please refund the payment for my parcel", "en"),
            ("hello there, good morning to you", "en"), ("the weather is nice today in the city", "en"),
            ("dónde está mi pedido y cuándo llega", "es"), ("quiero un reembolso de mi dinero por favor", "es"),
            ("hola, buenos días a todos ustedes", "es"), ("el tiempo es bueno hoy en la ciudad", "es"),
        ]
        let identifier = try LanguageIdentifier.train(
            samples: sentences.map { LanguageSample(text: $0.0, language: $0.1) }, configuration: language)

        var tone = ToneTrainingConfiguration()
        tone.bucketBits = 8
        tone.heldOutPercent = 0
        let toneSamples = [
            ("this is terrible, worst seller ever", true), ("I am so angry, scam!!!", true),
            ("thank you so much, great service", false), ("where is my order please", false),
        ].map { ToneSample(text: $0.0, negative: $0.1, language: "en", source: "authored") }
        let scorer = try ToneScorer.train(
            samples: toneSamples, angerTerms: [ToneTerm(term: "angry", language: "en"), ToneTerm(term: "scam", language: "en", openEnd: true)],
            configuration: tone)

        let lexicon = try RiskLexicon(tsv: "1 star\ten\tthreat.bad_review\nscam*\ten\trisk.scam\nestafa\tes\trisk.fraud\n")
        let analyzer = MessageAnalyzer(intents: intents, signals: MessageSignals(language: identifier, tone: scorer, risk: lexicon))
        let bytes = analyzer.encode()
        _ = try MessageAnalyzer.load(bytes: bytes)  // the seed must load
        try writer.write(bytes, target: "model-file", name: "tiny.rimodel")
        let file = try ModelFile.decode(bytes)
        for section in file.sections {
            try writer.write(ModelFile(sections: [section]).encode(), target: "model-file", name: "section-\(section.tag).rimodel")
        }
        print("model-file seed: \(bytes.count) bytes, sections \(file.sections.map { "\($0.tag) \($0.payload.count)" })")
    }
}
