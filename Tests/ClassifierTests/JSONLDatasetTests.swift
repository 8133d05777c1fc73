import Foundation
import Testing
@testable import Classifier

@Suite struct JSONLDatasetTests {
    @Test func parsesRowsAndSkipsBlankLines() throws {
        let text = """
            {"text": "where is my order", "label": "order_status", "lang": "en", "source": "x"}

            {"text": "أين طلبي", "label": "order_status", "lang": "ar"}
            {"text": "hola", "label": "greeting", "language": "es"}
            """
        let rows = try JSONLDataset.parse(Data(text.utf8), name: "t.jsonl", origin: "t")
        #expect(rows.map(\.language) == ["en", "ar", "es"])
        #expect(rows[1].text == "أين طلبي")
        #expect(rows.allSatisfy { $0.origin == "t" })
    }

    @Test func malformedLinesNameFileAndLine() {
        let text = "{\"text\": \"a\", \"label\": \"b\"}\nnot json\n"
        #expect(throws: DatasetError.self) { try JSONLDataset.parse(Data(text.utf8), name: "bad.jsonl", origin: "") }
        do {
            _ = try JSONLDataset.parse(Data(text.utf8), name: "bad.jsonl", origin: "")
        } catch {
            #expect("\(error)" == "bad.jsonl:2: not a JSON object")
        }
        do {
            _ = try JSONLDataset.parse(Data("{\"label\": \"b\"}".utf8), name: "x.jsonl", origin: "")
        } catch {
            #expect("\(error)" == "x.jsonl:1: missing \"text\"")
        }
    }

    @Test func fingerprintDependsOnEveryField() {
        let a = [LabeledExample(text: "hi", label: "greeting", language: "en")]
        let b = [LabeledExample(text: "hi", label: "greeting", language: "es")]
        let c = [LabeledExample(text: "hi", label: "other", language: "en")]
        #expect(JSONLDataset.fingerprint(a) == JSONLDataset.fingerprint(a))
        #expect(Set([JSONLDataset.fingerprint(a), JSONLDataset.fingerprint(b), JSONLDataset.fingerprint(c)]).count == 3)
    }

    @Test func missingFileIsAClearError() {
        do {
            _ = try JSONLDataset.load(path: "/nonexistent/train.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "cannot read /nonexistent/train.jsonl: no such file or not readable")
        }
    }
}
