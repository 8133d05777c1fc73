/// A reply template compiled for rendering: text pieces and value slots, with the Mustache
/// whitespace rules (standalone tag lines removed) already applied. Rendering walks the pieces and
/// looks each variable up once; nothing is parsed, cast or reflected per call.
struct TemplateProgram: Sendable {
    enum Piece: Sendable {
        /// Literal text.
        case text(String)
        /// `{{name}}`, `{{{name}}}`, `{{&name}}`: the value, verbatim (plain text).
        case variable(String)
        /// `{{.}}` inside a section: the value of the innermost enclosing `{{#name}}` section.
        case currentValue(String)
        /// `{{#name}}...{{/name}}`: the body once when the value is given and not empty.
        case section(String, [Piece])
        /// `{{^name}}...{{/name}}`: the body when the value is absent or empty.
        case invertedSection(String, [Piece])
    }

    let pieces: [Piece]
    /// Sum of the literal text lengths (UTF-8), to size the output once.
    let literalLength: Int

    init(pieces: [Piece]) {
        self.pieces = pieces
        func length(_ pieces: [Piece]) -> Int {
            pieces.reduce(0) { total, piece in
                switch piece {
                case .text(let text): total + text.utf8.count
                case .section(_, let body), .invertedSection(_, let body): total + length(body)
                case .variable, .currentValue: total
                }
            }
        }
        literalLength = length(pieces)
    }

    func render(_ values: [String: String]) -> String {
        var output = ""
        output.reserveCapacity(literalLength + 64)
        Self.append(pieces, values: values, to: &output)
        return output
    }

    private static func append(_ pieces: [Piece], values: [String: String], to output: inout String) {
        for piece in pieces {
            switch piece {
            case .text(let text):
                output.append(text)
            case .variable(let name), .currentValue(let name):
                if let value = values[name] { output.append(value) }
            case .section(let name, let body):
                if let value = values[name], !value.isEmpty { append(body, values: values, to: &output) }
            case .invertedSection(let name, let body):
                if values[name]?.isEmpty ?? true { append(body, values: values, to: &output) }
            }
        }
    }
}
