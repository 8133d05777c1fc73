import Dispatch
import Synchronization
import Testing
@testable import Classifier

@Suite struct IntentModelTests {
    let model = TestModels.model
    let probes = ["where is my order??", "I want a refund", "hello", "what is the weather", "我的订单在哪里", "أين طلبي",
                  "something completely different", "", "🙂", "order #123456 refund"]

    @Test func learnsTheTinyTrainingSet() {
        #expect(model.predict("where is my order").intent == "order_status")
        #expect(model.predict("please refund me").intent == "refund_request")
        #expect(model.predict("hello there").intent == "greeting")
    }

    @Test func predictionsAreWellFormed() {
        for text in probes {
            let p = model.predict(text, topK: 3)
            #expect(p.top.count == 3)
            #expect(p.top[0].confidence >= p.top[1].confidence && p.top[1].confidence >= p.top[2].confidence)
            #expect(p.confidence == p.top[0].confidence)
            #expect(p.confidence > 0 && p.confidence <= 1)
            #expect(p.isOutOfScope == (p.intent == "other"))
            let probabilities = model.probabilities(text, scratch: IntentScratch())
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
        }
    }

    @Test func thresholdsSendUnsureMessagesToOther() {
        let p = [Float](repeating: 1 / Float(model.labels.count), count: model.labels.count)
        let decided = model.decide(p, topK: 2, minConfidence: 0.3, minMargin: 0)
        #expect(decided.intent == "other")
        #expect(decided.isOutOfScope)
        var peaked = [Float](repeating: 0, count: model.labels.count)
        let greeting = model.labels.firstIndex(of: "greeting")!
        peaked[greeting] = 1
        #expect(model.decide(peaked, topK: 2, minConfidence: 0.3, minMargin: 0.2).intent == "greeting")
    }

    @Test func saveLoadGivesIdenticalScores() throws {
        let loaded = try IntentModel.load(bytes: model.encode())
        #expect(loaded.metadata == model.metadata)
        #expect(loaded.weights == model.weights)
        #expect(loaded.extractor.idf == model.extractor.idf)
        let a = IntentScratch(), b = IntentScratch()
        for text in probes {
            #expect(model.probabilities(text, scratch: a) == loaded.probabilities(text, scratch: b))
            #expect(model.predict(text, scratch: a) == loaded.predict(text, scratch: b))
        }
        // Encoding is deterministic.
        #expect(loaded.encode() == model.encode())
    }

    @Test func roundTripThroughAFile() throws {
        let path = "/tmp/replyintent-test-\(UInt32.random(in: 0...UInt32.max)).rimodel"
        try ModelFileIO.write(model.encode(), to: path)
        let loaded = try IntentModel.load(path: path)
        #expect(loaded.predict("where is my order") == model.predict("where is my order"))
    }

    @Test func metadataIsRecorded() {
        let meta = model.metadata
        #expect(meta.labels == ["greeting", "order_status", "other", "refund_request"])
        #expect(meta.languages == ["ar", "de", "en", "es", "zh"])
        #expect(meta.trainingRows == TestModels.rows.count)
        #expect(meta.trainingFingerprint == JSONLDataset.fingerprint(TestModels.rows))
        #expect(meta.metrics["dev.accuracy"] != nil)
        #expect(meta.temperature > 0)
    }

    @Test func trainingIsDeterministic() {
        let again = IntentTrainer.train(rows: TestModels.rows, dev: TestModels.rows, options: TestModels.options()).model
        #expect(again.weights == model.weights)
    }

    @Test func concurrentScoringGivesIdenticalResults() {
        let texts = (0..<200).map { probes[$0 % probes.count] + " \($0 % 7)" }
        let expected = texts.map { model.predict($0) }
        let mismatches = Atomic<Int>(0)
        let shared = model
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            let scratch = IntentScratch()
            for round in 0..<5 {
                for index in texts.indices where (index + worker + round) % 2 == 0 {
                    if shared.predict(texts[index], scratch: scratch) != expected[index] {
                        mismatches.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }
}
