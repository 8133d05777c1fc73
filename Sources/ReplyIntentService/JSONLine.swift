internal import JSONText

/// One JSON object on one line, built by hand: the fields are all strings, and a hand-built line
/// keeps key order stable for people reading the log.
struct JSONLine {
    private var text = "{"
    private var isEmpty = true

    mutating func add(_ key: String, _ value: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        JSONText.appendQuoted(key, to: &text)
        text += ":"
        JSONText.appendQuoted(value, to: &text)
    }

    /// The finished line, ending in "\n".
    var line: String { text + "}\n" }
}
