/// One JSON object on one line, built by hand: the fields are all strings, and a hand-built line
/// keeps key order stable for people reading the log.
struct JSONLine {
    private var text = "{"
    private var isEmpty = true

    mutating func add(_ key: String, _ value: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        Self.appendQuoted(key, to: &text)
        text += ":"
        Self.appendQuoted(value, to: &text)
    }

    /// The finished line, ending in "\n".
    var line: String { text + "}\n" }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped;
    /// everything else, non-ASCII included, as is.
    static func appendQuoted(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
