import Testing
import YAMLSupport
import Yams

@Suite struct YAMLDocumentTests {
    @Test func emptyAndNullDocumentsAreEmptyMappings() throws {
        #expect(try YAMLDocument.rootMapping("").isEmpty)
        #expect(try YAMLDocument.rootMapping("~\n").isEmpty)
        #expect(try YAMLDocument.rootMapping("# only a comment\n").isEmpty)
    }

    @Test func entriesKeepFileOrderAndLines() throws {
        let mapping = try YAMLDocument.rootMapping("b: 1\na: two\nc:\n")
        let entries = try YAMLDocument.entries(of: mapping, allowed: ["a", "b", "c"])
        #expect(entries.map(\.key) == ["b", "a", "c"])
        #expect(entries.map(\.line) == [1, 2, 3])
        #expect(YAMLDocument.isNull(entries[2].value))
        #expect(YAMLDocument.shown(entries[1].value) == "'two'")
    }

    @Test func problemsSayWhatAndWhere() {
        #expect(throws: YAMLProblem(kind: .topLevelNotMapping, line: 1)) { try YAMLDocument.rootMapping("- a\n- b\n") }
        #expect(throws: YAMLProblem(kind: .unknownKey("x", allowed: ["a"]), line: 2)) {
            try YAMLDocument.entries(of: YAMLDocument.rootMapping("a: 1\nx: 2\n"), allowed: ["a"])
        }
        #expect(throws: YAMLProblem(kind: .keyNotPlainString, line: 1)) {
            try YAMLDocument.entries(of: YAMLDocument.rootMapping("[1, 2]: 3\n"))
        }
        do {
            _ = try YAMLDocument.rootMapping("a: [1, 2\n")
            Issue.record("an unclosed list parsed")
        } catch {
            guard case .syntax(let summary) = error.kind else { Issue.record("\(error)"); return }
            #expect(!summary.isEmpty)
        }
    }
}
