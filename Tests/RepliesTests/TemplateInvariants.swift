import Replies

/// What every rendering of a reply template keeps, whatever the template: checked on random
/// templates by RandomTemplateTests and on every input of the `templates` fuzz target (which
/// compiles this same file: Fuzz/Sources/templates/TemplateInvariants.swift links here).
///
/// - Empty values are missing values: they render and report exactly like absent ones.
/// - Names that are not the template's variables change nothing.
/// - The text comes from the template, in order: the output with its values taken out is the
///   template's text with some bytes left out (tags, standalone lines, skipped sections). So
///   nothing is invented or repeated, and the output is at most the template's size plus the
///   values it shows.
/// - Each value is shown verbatim, at most once per tag that names it or `{{.}}` (and a tag is
///   at least 3 bytes).
/// - Every required variable is shown whenever it is given; `missingVariables` names exactly
///   the required variables that are absent or empty.
enum TemplateInvariants {
    /// One line per invariant `template` breaks; empty when it keeps them all.
    static func violations(_ template: ReplyTemplate) -> [String] {
        var broken: [String] = []
        let names = template.variables
        let required = template.requiredVariables
        if names != Array(Set(names)).sorted() { broken.append("variables \(names) are not sorted and distinct") }
        if required != Array(Set(required)).sorted() || !Set(required).isSubset(of: names) {
            broken.append("required variables \(required) are not a sorted subset of \(names)")
        }

        let bare = template.render([:])
        let empty = Dictionary(uniqueKeysWithValues: names.map { ($0, "") })
        if template.render(empty) != bare { broken.append("empty values render unlike absent ones") }
        if template.missingVariables(in: [:]) != required || template.missingVariables(in: empty) != required {
            broken.append("missing variables without values are not the required ones")
        }
        if template.render(["not a name": "x"]) != bare { broken.append("a value for no variable changed the output") }
        if !sourceKeeps(bare, source: template.source) {
            broken.append("the output without values is not the template's text in order")
        }

        // Values of one ASCII character that the template does not hold, so they can be counted
        // and taken out of the output again.
        let source = Array(template.source.utf8)
        guard let mark = (UInt8(1)...UInt8(0x7F)).first(where: { !source.contains($0) }) else { return broken }
        let value = String(decoding: [mark], as: UTF8.self)
        let all = Dictionary(uniqueKeysWithValues: names.map { ($0, value) })
        let full = Array(template.render(all).utf8)
        let text = full.filter { $0 != mark }
        if !sourceKeeps(String(decoding: text, as: UTF8.self), source: template.source) {
            broken.append("the output with values, values taken out, is not the template's text in order")
        }
        if full.count - text.count > source.count / 3 {
            broken.append("\(full.count - text.count) values shown by a \(source.count)-byte template")
        }
        if !template.missingVariables(in: all).isEmpty { broken.append("variables missing although all were given") }
        // A value is shown by a tag that names it or by a `{{.}}` in its section, each at most once.
        let dots = source.filter { $0 == UInt8(ascii: ".") }.count
        for name in names {
            let shown = template.render([name: value]).utf8.filter { $0 == mark }.count
            if shown > occurrences(of: Array(name.utf8), in: source) + dots {
                broken.append("'\(name)' shown \(shown) times, more than it has tags")
            }
        }
        for name in required {
            if !template.render([name: value]).utf8.contains(mark) { broken.append("required '\(name)' not shown") }
            let others = all.filter { $0.key != name }
            if template.missingVariables(in: others) != [name] { broken.append("'\(name)' not reported missing alone") }
        }
        return broken
    }

    /// How many times `needle` occurs in `bytes` without overlapping.
    static func occurrences(of needle: [UInt8], in bytes: [UInt8]) -> Int {
        var count = 0
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) {
                count += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return count
    }

    /// Whether `output` is `source` with some bytes left out, the rest in order.
    static func sourceKeeps(_ output: String, source: String) -> Bool {
        var remaining = source.utf8[...]
        for byte in output.utf8 {
            guard let index = remaining.firstIndex(of: byte) else { return false }
            remaining = remaining[remaining.index(after: index)...]
        }
        return true
    }
}
