import JSONText
import Testing

@Suite struct JSONTextTests {
    @Test func escapesWhatJSONRequiresAndKeepsTheRest() {
        #expect(JSONText.quoted("say \"hi\"\n\\ é 日本") == #""say \"hi\"\n\\ é 日本""#)
        #expect(JSONText.quoted("\u{01}\u{08}\u{0C}\t\r\u{7F}") == #""\u0001\b\f\t\r\u007f""#)
        #expect(JSONText.quoted("a\u{2028}b\u{2029}") == #""a\u2028b\u2029""#)
        #expect(JSONText.quoted("") == "\"\"")
    }
}
