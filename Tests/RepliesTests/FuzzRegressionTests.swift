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

    /// `{{\nu}}`: we read a variable `u` (rendered empty), swift-mustache (the reference renderer
    /// then) printed "\nu}}". A tag that spans lines is refused, with the line it starts on.
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
    }

    /// "{\n\t": the spec keeps a last line of blanks (swift-mustache dropped it).
    @Test func aBlankLastLineIsKept() throws {
        let text = try Self.regression("blank-last-line")
        let template = try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: text)
        #expect(template.render([:]) == "{\n\t")
    }

    /// "{{#n}}\u{0B}{{/n}}": the spec keeps a vertical tab (and FF, NEL, LS, PS) as text
    /// (swift-mustache counted them as line ends and rendered nothing).
    @Test func aVerticalTabIsText() throws {
        let text = try Self.regression("vertical-tab-in-section")
        let template = try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: text)
        #expect(template.render(["n": "x"]) == "\u{0B}")
    }

    /// A lone CR is not a line end (swift-mustache ended a line there): before other text the comment
    /// does not stand alone; CRs up to the end of the template count as that line's blanks, so
    /// the comment's line goes. Two tags on one line do not stand alone.
    @Test func loneCarriageReturnsAndTwoTagsOnALine() throws {
        for (name, values, expected) in [
            ("lone-carriage-return-before-nul", [:], "\r\u{0}"), ("lone-carriage-returns", [:], ""),
            ("two-tags-on-a-line", ["t": "x"], "\n"), ("two-tags-on-a-line", [:], "\n"),
        ] as [(String, [String: String], String)] {
            let template = try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: try Self.regression(name))
            #expect(template.render(values) == expected, "\(name) with \(values)")
        }
    }

    /// Every kept input that makes a template keeps the renderer's invariants.
    @Test func everyKeptInputKeepsTheInvariants() throws {
        for name in ["blank-last-line", "lone-carriage-return-before-nul", "lone-carriage-returns",
            "two-tags-on-a-line", "vertical-tab-in-section"]
        {
            let template = try ReplyTemplate(owner: "t", language: "en", intent: "greeting", text: try Self.regression(name))
            #expect(TemplateInvariants.violations(template).isEmpty, "\(name)")
        }
    }
}
