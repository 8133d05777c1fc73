import Testing

@testable import intentctl

/// The CLI's own JSON reader and writer (ordered keys, exact numbers, strict syntax).
struct ReplyIntentCLIJSONTests {
    @Test func parsesObjectsKeepingKeyOrderAndNumberText() throws {
        let value = try JSONParser.parse(#" {"b": 1, "a": [true, false, null], "n": -12.5e3, "big": 9007199254740993} "#)
        #expect(
            value
                == .object([
                    ("b", .number("1")), ("a", .array([.bool(true), .bool(false), .null])), ("n", .number("-12.5e3")),
                    ("big", .number("9007199254740993")),
                ]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#"["a\"b\\c\/\n\t\u00e9\ud83d\ude00", "ñ 诈骗"]"#)
        #expect(value == .array([.string("a\"b\\c/\n\té😀"), .string("ñ 诈骗")]))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 9, "trailing comma before }"),
        ("{'a': 1}", 2, "expected a key in double quotes"),
        ("{\"a\": 1} x", 10, "unexpected text after the JSON value"),
        ("{\"a\": 01}", 8, "numbers cannot have leading zeros"),
        ("{\"a\": 1, \"a\": 2}", 10, "duplicate key \"a\""),
        ("{\"a\": \"x", 7, "unterminated string"),
        ("[1, 2", 6, "expected , or ] in the array"),
        ("{\"é\": tru}", 7, "expected a value (object, array, string, number, true, false or null)"),
        ("\"\\ud800\"", 8, "a high surrogate \\ud800 must be followed by a low surrogate"),
        ("", 1, "expected a value, found the end of the line"),
    ])
    func reportsSyntaxErrorsWithTheirColumn(text: String, column: Int, reason: String) {
        #expect(throws: JSONParser.SyntaxError(column: column, reason: reason)) { try JSONParser.parse(text) }
    }

    @Test func refusesDeepNestingInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test func writesCompactEscapedJSON() {
        let value = JSONValue.object([
            ("text", .string("say \"hi\"\n\u{1}\\ é \u{2028}")), ("n", .integer(Int64.min)), ("f", .float(0.9)),
            ("nan", .float(.nan)), ("inf", .double(-.infinity)), ("list", .strings(["a", "b"])), ("none", .null),
        ])
        #expect(
            value.serialized
                == #"{"text":"say \"hi\"\n\u0001\\ é \u2028","n":-9223372036854775808,"f":0.9,"nan":"NaN","inf":"-Infinity","list":["a","b"],"none":null}"#
        )
    }

    @Test func writtenJSONParsesBackToTheSameValue() throws {
        let value = JSONValue.object([
            ("s", .string("tab\t quote\" nul\u{0} emoji 😀 ctrl\u{1F}")), ("a", .array([.bool(true), .number("1.5"), .object([])])),
        ])
        #expect(try JSONParser.parse(value.serialized) == value)
    }
}
