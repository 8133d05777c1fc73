import Foundation
import Testing
@testable import Replies

/// Inputs the `templates` fuzz target found (Fuzz/Regressions/templates, replayed by
/// Tools/fuzz.sh too).
@Suite struct FuzzRegressionTests {
    static func regression(_ name: String) throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return try String(contentsOf: url.appendingPathComponent("Fuzz/Regressions/templates/\(name)"), encoding: .utf8)
    }

    /// `{{\nu}}`: we read a variable `u` (rendered empty), swift-mustache printed "\nu}}". A tag
    /// that spans lines is refused now, with the line it starts on.
    @Test func aTagSpanningLinesIsRefused() throws {
        let text = try Self.regression("tag-spanning-lines")
        #expect(text == "{{\nu}}")
        let expected = TemplateParser.SyntaxError(
            line: 1, message: "a tag must open and close on the same line (only comments may span lines)")
        #expect(throws: expected) { try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: text) }
        for other in ["{{#eta\n}}x{{/eta}}", "{{{\ntracking_url}}}", "{{^eta}}x{{/eta\r\n}}", "{{=<%\n%>=}}"] {
            #expect(throws: expected, "\(other)") { try TemplateParser.parse(other) }
        }
        #expect(try TemplateParser.parse("a\n{{#eta}}{{eta}}{{/eta}}\n").variables == ["eta"])
    }

    /// Comments may still span lines (the Mustache spec's multiline comments), and render the same.
    @Test func multilineCommentsStayAllowed() throws {
        let template = try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: "Hi{{! a\nnote }} {{eta}}")
        #expect(template.render(["eta": "now"]) == "Hi now")
        #expect(template.renderWithReference(["eta": "now"]) == "Hi now")
    }

    /// "{\n\t": swift-mustache drops a last line of blanks, the spec (and we) keep it. Not a bug of
    /// ours; the fuzz target allows exactly this difference, and this input keeps it honest.
    @Test func aBlankLastLineIsKept() throws {
        let text = try Self.regression("blank-last-line")
        let template = try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: text)
        #expect(template.render([:]) == "{\n\t")
        #expect(template.renderWithReference([:]) == "{\n")
    }

    /// "{{#n}}\u{0B}{{/n}}": swift-mustache counts a vertical tab (and FF, NEL, LS, PS) as a line
    /// end and renders nothing; the spec and we keep it as text. The fuzz target does not compare
    /// such templates.
    @Test func aVerticalTabIsText() throws {
        let text = try Self.regression("vertical-tab-in-section")
        let template = try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: text)
        #expect(template.render(["n": "x"]) == "\u{0B}")
        #expect(template.renderWithReference(["n": "x"]) == "")
    }
}
