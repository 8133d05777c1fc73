import Testing
@testable import Replies

@Suite struct TemplateParserTests {
    @Test func findsEveryKindOfVariableOnceAndSorted() throws {
        let text = "{{shop_name}} {{{tracking_url}}} {{& eta }} {{#buyer_name}}x{{/buyer_name}}"
            + "{{^order_id}}none{{/order_id}} {{shop_name}}"
        #expect(try TemplateParser.variables(in: text) == ["buyer_name", "eta", "order_id", "shop_name", "tracking_url"])
    }

    @Test func ignoresCommentsTheCurrentValueAndPlainText() throws {
        let text = "Hi {{! {{not_a_variable}} }}{{#buyer_name}}{{.}}{{/buyer_name}} { single } braces }}"
        #expect(try TemplateParser.variables(in: text) == ["buyer_name"])
        #expect(try TemplateParser.variables(in: "no tags at all") == [])
    }

    @Test func followsDelimiterChanges() throws {
        let text = "{{=<% %>=}}<% order_id %> {{literal}} <%={{ }}=%>{{eta}}"
        #expect(try TemplateParser.variables(in: text) == ["eta", "order_id"])
    }

    @Test func reportsUnclosedAndMismatchedSectionsWithLines() {
        #expect(throws: TemplateParser.SyntaxError(
            line: 2, message: "section 'buyer_name' is never closed (add '{{/buyer_name}}')")
        ) { try TemplateParser.variables(in: "Hello\n{{#buyer_name}} there") }
        #expect(throws: TemplateParser.SyntaxError(
            line: 1, message: "'{{/eta}}' does not match the open section 'order_id' (opened on line 1)")
        ) { try TemplateParser.variables(in: "{{#order_id}}{{/eta}}") }
        #expect(throws: TemplateParser.SyntaxError(line: 1, message: "'{{/eta}}' closes a section that was never opened")) {
            try TemplateParser.variables(in: "{{/eta}}")
        }
        #expect(throws: TemplateParser.SyntaxError(line: 3, message: "tag '{{' is never closed")) {
            try TemplateParser.variables(in: "a\nb\n{{order_id")
        }
    }

    @Test func rejectsTagsAReplyTemplateCannotUse() {
        for text in ["{{> footer}}", "{{< parent}}{{/parent}}", "{{$block}}x{{/block}}", "{{% CONTENT_TYPE: HTML}}",
            "{{order.id}}", "{{uppercased(shop_name)}}", "{{}}", "{{shop name}}", "{{#.}}x{{/.}}", "{{= bad =}}",
            "{{.}} outside a section", "{{^eta}}{{.}}{{/eta}}", "{{{eta}}", "{{=<% %>=}}<%{eta}%>",
            "{{=<\u{0B}% %>=}}", "{{=<% %\u{A0}>=}}", "{{=<%= %>=}}"]
        {
            #expect(throws: TemplateParser.SyntaxError.self, "\(text)") { try TemplateParser.variables(in: text) }
        }
    }

    private func render(_ text: String, _ values: [String: String] = [:]) throws -> String {
        try TemplateParser.parse(text).program.render(values)
    }

    @Test func removesLinesHoldingOnlyAStandaloneTag() throws {
        let text = "Hello\n  {{#eta}}  \nETA {{eta}}\n\t{{/eta}}\n{{! note }}\nBye\n"
        #expect(try render(text, ["eta": "Monday"]) == "Hello\nETA Monday\nBye\n")
        #expect(try render(text) == "Hello\nBye\n")
        // CRLF line endings and a standalone tag on the last line without a newline.
        #expect(try render("a\r\n{{#eta}}\r\nb\r\n{{/eta}}", ["eta": "x"]) == "a\r\nb\r\n")
    }

    @Test func blanksAtTheEndFollowTheSpec() throws {
        #expect(try render(" ") == " ")
        #expect(try render("a\n\t") == "a\n\t")
        #expect(try render("a\n{{! c }}\t") == "a\n")
    }

    @Test func keepsLinesWhereTheTagIsNotAlone() throws {
        #expect(try render("  {{#eta}}{{/eta}}\nx", ["eta": "1"]) == "  \nx")
        #expect(try render("a {{#eta}}\nb\n{{/eta}} c", ["eta": "1"]) == "a \nb\n c")
        #expect(try render("{{eta}}\n", ["eta": "1"]) == "1\n")
        #expect(try render("  {{eta}}  \n", [:]) == "    \n")
    }

    @Test func currentValueIsTheInnermostSectionValue() throws {
        #expect(try render("{{#eta}}[{{.}}]{{^order_id}}({{.}}){{/order_id}}{{/eta}}", ["eta": "soon"]) == "[soon](soon)")
    }
}
