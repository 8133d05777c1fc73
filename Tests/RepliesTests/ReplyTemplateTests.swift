import Testing
@testable import Replies

@Suite struct ReplyTemplateTests {
    @Test func insertsValuesVerbatimWithoutHTMLEscaping() throws {
        let template = try makeTemplate("A {{shop_name}} B {{{shop_name}}} C {{&shop_name}} D {{#shop_name}}{{.}}{{/shop_name}}")
        let value = #"Tom & Jerry's <Shop> "quoted" 'single' &amp;"#
        #expect(template.render(["shop_name": value]) == "A \(value) B \(value) C \(value) D \(value)")
    }

    @Test func sectionsShowOnlyForGivenNonEmptyValues() throws {
        let template = try makeTemplate("Hello{{#buyer_name}} {{buyer_name}}{{/buyer_name}}{{^buyer_name}} there{{/buyer_name}}!")
        #expect(template.render(["buyer_name": "Ana"]) == "Hello Ana!")
        #expect(template.render([:]) == "Hello there!")
        #expect(template.render(["buyer_name": ""]) == "Hello there!")
    }

    @Test func missingVariablesAreAbsentOrEmptyRequiredOnesSorted() throws {
        let template = try makeTemplate("{{order_id}} {{#tracking_url}}{{tracking_url}}{{/tracking_url}} {{eta}} {{shop_name}}")
        #expect(template.variables == ["eta", "order_id", "shop_name", "tracking_url"])
        // tracking_url only appears inside its own section: the reply reads well without it.
        #expect(template.requiredVariables == ["eta", "order_id", "shop_name"])
        let values = ["order_id": "A-1", "eta": "", "unused": "x"]
        #expect(template.missingVariables(in: values) == ["eta", "shop_name"])
        #expect(template.render(values) == "A-1   ")
        #expect(template.missingVariables(in: ["order_id": "1", "eta": "2", "shop_name": "3", "tracking_url": "4"]) == [])
    }

    @Test func keepsTheAuthorsLinesAndStandaloneTags() throws {
        let template = try makeTemplate("{{#buyer_name}}\nDear {{buyer_name}},\n{{/buyer_name}}\nThanks.\n")
        #expect(template.render(["buyer_name": "Li"]) == "Dear Li,\nThanks.\n")
        #expect(template.render([:]) == "Thanks.\n")
    }

    @Test func idNamesOwnerLanguageAndIntent() throws {
        let template = try ReplyTemplate(owner: "acme", language: "es", intent: "refund_status", text: "x")
        #expect(template.id == "acme/es/refund_status")
        #expect(template.source == "x")
    }

    @Test func nonASCIITextAndValuesSurvive() throws {
        let template = try makeTemplate("こんにちは{{buyer_name}}様、注文{{order_id}}は発送済みです 🚚")
        #expect(template.render(["buyer_name": "山田", "order_id": "#٣٤"]) == "こんにちは山田様、注文#٣٤は発送済みです 🚚")
    }
}

/// What the Mustache spec renders for each construct a template may contain (the outputs are
/// those swift-mustache 2.1.1 gave too, when it was the reference renderer).
@Suite struct SpecRenderingTests {
    static let valueSets: [[String: String]] = [
        [:],
        ["buyer_name": "Ana", "order_id": "A-1", "eta": "Monday"],
        ["buyer_name": "", "order_id": "<&>\"'", "eta": ""],
        ["eta": "\n  multi\nline  "],
    ]
    /// A template and its output with each of `valueSets`.
    static let cases: [(template: String, outputs: [String])] = [
        ("Hi{{#buyer_name}} {{buyer_name}}{{/buyer_name}}, order {{order_id}} ships {{eta}}.",
            ["Hi, order  ships .", "Hi Ana, order A-1 ships Monday.", "Hi, order <&>\"' ships .",
                "Hi, order  ships \n  multi\nline  ."]),
        ("{{#buyer_name}}\nDear {{buyer_name}},\n{{/buyer_name}}\n{{^buyer_name}}\nHello,\n{{/buyer_name}}\nThanks.\n",
            ["Hello,\nThanks.\n", "Dear Ana,\nThanks.\n", "Hello,\nThanks.\n", "Hello,\nThanks.\n"]),
        ("  {{#eta}}  \n  ETA: {{eta}}\n  {{/eta}}  \n{{! comment }}\nend",
            ["end", "  ETA: Monday\nend", "end", "  ETA: \n  multi\nline  \nend"]),
        ("a\r\n{{#eta}}\r\nb {{{eta}}} {{&eta}}\r\n{{/eta}}\r\nc",
            ["a\r\nc", "a\r\nb Monday Monday\r\nc", "a\r\nc", "a\r\nb \n  multi\nline   \n  multi\nline  \r\nc"]),
        ("{{#eta}}{{/eta}}\n  {{#eta}}x{{/eta}}  \n{{^eta}}none{{/eta}}",
            ["\n    \nnone", "\n  x  \n", "\n    \nnone", "\n  x  \n"]),
        ("{{=<% %>=}}\n<% order_id %> {{literal}}\n<%={{ }}=%>\n{{order_id}}",
            [" {{literal}}\n", "A-1 {{literal}}\nA-1", "<&>\"' {{literal}}\n<&>\"'", " {{literal}}\n"]),
        ("{{#order_id}}\n  {{#eta}}\n{{.}} and {{order_id}}\n  {{/eta}}\n{{/order_id}}\n",
            ["", "Monday and A-1\n", "", ""]),
        ("{{! multi\nline comment }}\nText\n", ["Text\n", "Text\n", "Text\n", "Text\n"]),
        ("Tail {{#eta}}\n{{/eta}}", ["Tail ", "Tail \n", "Tail ", "Tail \n"]),
        ("", ["", "", "", ""]),
        ("\n\n{{#eta}}\n\n{{/eta}}\n\n", ["\n\n\n", "\n\n\n\n", "\n\n\n", "\n\n\n\n"]),
    ]

    @Test(arguments: cases.indices)
    func rendersAsTheSpecSays(index: Int) throws {
        let (text, outputs) = Self.cases[index]
        let template = try makeTemplate(text)
        for (values, expected) in zip(Self.valueSets, outputs) {
            #expect(template.render(values) == expected, "template \(text.debugDescription), values \(values)")
        }
    }
}

/// Random templates built from Mustache fragments: parsing never traps, and every accepted
/// template keeps the renderer's invariants (`TemplateInvariants`, which the `templates` fuzz
/// target checks on its inputs too).
@Suite struct RandomTemplateTests {
    /// xorshift64*, seeded: the same templates on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    static let fragments = [
        "{{", "}}", "{{{", "}}}", "#eta", "/eta", "^eta", "#order_id", "/order_id", "eta", "order_id", "{{.}}",
        "{{!c}}", "&", "=", "<% %>", "<%", "%>", "\n", "\r\n", " ", "\t", "x", "é", "{", "}", ".", "!",
    ]

    @Test func acceptedTemplatesKeepTheInvariants() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var accepted = 0
        for _ in 0..<4000 {
            let count = Int.random(in: 1...14, using: &generator)
            let text = (0..<count).map { _ in Self.fragments.randomElement(using: &generator)! }.joined()
            guard let template = try? makeTemplate(text) else { continue }
            accepted += 1
            let broken = TemplateInvariants.violations(template)
            #expect(broken.isEmpty, "template \(text.debugDescription): \(broken)")
        }
        #expect(accepted > 100)
    }

    /// The invariants are not vacuous: a renderer that dropped a value, duplicated text or
    /// invented a missing variable would be caught.
    @Test func invariantsCatchABrokenRendering() throws {
        let template = try makeTemplate("Hi {{#buyer_name}}{{buyer_name}}{{/buyer_name}} {{order_id}}")
        #expect(TemplateInvariants.violations(template).isEmpty)
        #expect(!TemplateInvariants.sourceKeeps("Hi  Hi", source: template.source))
        #expect(TemplateInvariants.sourceKeeps("Hi  ", source: template.source))
        #expect(TemplateInvariants.occurrences(of: Array("buyer_name".utf8), in: Array(template.source.utf8)) == 3)
    }
}
