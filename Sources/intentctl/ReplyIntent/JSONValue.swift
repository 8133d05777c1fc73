internal import JSONText
/// A JSON value whose objects keep their keys in order, so the CLI's output has a stable shape
/// (proto field order) and its input can be checked key by key.
///
/// Numbers keep their source text: an `int64` such as `sent_at_unix_ms` is read exactly, never
/// through a `Double`.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number as written, already checked against the JSON grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Key-value pairs in order; duplicate keys are refused by the parser.
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    // MARK: Building output

    static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// A float as its shortest round-tripping text; NaN and infinities as the strings proto3 JSON uses.
    static func float(_ value: Float) -> JSONValue {
        value.isFinite ? .number(value.description) : .string(value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity")
    }

    static func double(_ value: Double) -> JSONValue {
        value.isFinite ? .number(value.description) : .string(value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity")
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// What a value is, for error messages ("a string", "an object").
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    // MARK: Writing

    /// Compact JSON text on one line (no spaces), non-ASCII written as UTF-8.
    var serialized: String {
        var output = ""
        write(into: &output)
        return output
    }

    func write(into output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): JSONText.appendQuoted(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                JSONText.appendQuoted(key, to: &output)
                output += ":"
                value.write(into: &output)
            }
            output += "}"
        }
    }
}
