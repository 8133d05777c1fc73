/// Parses Mustache template text once, at load, into a ``TemplateProgram`` and the sorted list of
/// variables it reads, checking that every tag is one a plain-text reply template may use.
///
/// Accepted tags: `{{name}}`, `{{{name}}}`, `{{&name}}`, `{{#name}}`/`{{^name}}` ... `{{/name}}`,
/// `{{.}}` inside a section (that section's value), `{{! comments }}` and `{{=<% %>=}}` delimiter
/// changes. Rejected with a message: partials and blocks (there is no partial library), pragmas
/// (they could switch on HTML escaping), dotted names and transforms (values are flat strings).
/// Whitespace follows the Mustache spec: a line holding only one section, closing, comment or
/// delimiter tag (and blanks) is removed from the output.
enum TemplateParser {
    struct SyntaxError: Error, Equatable {
        /// Line within the template text (1-based).
        let line: Int
        let message: String
    }

    struct Result {
        let program: TemplateProgram
        /// The distinct variable names the template reads (sections and inverted sections included), sorted.
        let variables: [String]
        /// The variables the reply cannot do without, sorted: those inserted outside every section.
        /// A variable used only inside a section (`{{#eta}}Arrives {{eta}}.{{/eta}}`) is optional.
        let requiredVariables: [String]
    }

    static func parse(_ text: String) throws(SyntaxError) -> Result {
        let bytes = Array(text.utf8)
        let items = try lex(bytes)
        let kept = keptBytes(bytes, items: items)
        return try build(bytes, items: items, kept: kept)
    }

    /// The variables only (used by tests and tools).
    static func variables(in text: String) throws(SyntaxError) -> [String] {
        try parse(text).variables
    }

    // MARK: - Lexing

    private enum TagKind {
        case variable, section, invertedSection, close, comment, delimiters

        /// Tags that leave no output and so may stand alone on a line (which is then removed).
        var canStandAlone: Bool { self != .variable }
    }

    private struct Tag {
        let kind: TagKind
        let name: String
        /// The whole tag, delimiters included.
        let range: Range<Int>
        let line: Int
    }

    private enum Item {
        case text(Range<Int>)
        case tag(Tag)
    }

    private static func lex(_ bytes: [UInt8]) throws(SyntaxError) -> [Item] {
        let defaultOpen = Array("{{".utf8)
        let defaultClose = Array("}}".utf8)
        var open = defaultOpen
        var close = defaultClose
        var items: [Item] = []
        var position = 0
        var line = 1
        var lineCountedTo = 0

        func lineNumber(at offset: Int) -> Int {
            if offset > lineCountedTo {
                for index in lineCountedTo..<offset where bytes[index] == UInt8(ascii: "\n") { line += 1 }
                lineCountedTo = offset
            }
            return line
        }

        while let start = find(open, in: bytes, from: position) {
            if start > position { items.append(.text(position..<start)) }
            let tagLine = lineNumber(at: start)
            let contentStart = start + open.count
            if open == defaultOpen, close == defaultClose, contentStart < bytes.count,
                bytes[contentStart] == UInt8(ascii: "{")
            {
                guard let end = find(Array("}}}".utf8), in: bytes, from: contentStart + 1) else {
                    throw SyntaxError(line: tagLine, message: "'{{{' is never closed with '}}}'")
                }
                try checkOneLine(bytes[contentStart..<end], line: tagLine)
                let name = try checkedName(bytes[(contentStart + 1)..<end], tag: "{{{...}}}", line: tagLine)
                items.append(.tag(Tag(kind: .variable, name: name, range: start..<(end + 3), line: tagLine)))
                position = end + 3
                continue
            }
            guard let end = find(close, in: bytes, from: contentStart) else {
                throw SyntaxError(line: tagLine, message: "tag '\(String(decoding: open, as: UTF8.self))' is never closed")
            }
            let content = bytes[contentStart..<end]
            position = end + close.count
            let range = start..<position
            let sigil = content.first ?? 0
            if sigil != UInt8(ascii: "!") { try checkOneLine(content, line: tagLine) }
            let rest = content.dropFirst()
            let kind: TagKind
            var name = ""
            switch sigil {
            case UInt8(ascii: "!"):
                kind = .comment
            case UInt8(ascii: "#"):
                kind = .section
                name = try checkedName(rest, tag: "section", line: tagLine)
            case UInt8(ascii: "^"):
                kind = .invertedSection
                name = try checkedName(rest, tag: "inverted section", line: tagLine)
            case UInt8(ascii: "/"):
                kind = .close
                name = try checkedName(rest, tag: "closing", line: tagLine)
            case UInt8(ascii: "&"):
                kind = .variable
                name = try checkedName(rest, tag: "{{&...}}", line: tagLine)
            case UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "$"):
                throw SyntaxError(
                    line: tagLine,
                    message: "partials and blocks ('{{>', '{{<', '{{$') are not supported in reply templates")
            case UInt8(ascii: "%"):
                throw SyntaxError(line: tagLine, message: "pragmas ('{{%') are not supported in reply templates")
            case UInt8(ascii: "="):
                kind = .delimiters
                let parts = content.count >= 2 && content.last == UInt8(ascii: "=")
                    ? content.dropFirst().dropLast().split(whereSeparator: isBlankOrNewline) : []
                guard parts.count == 2, parts.allSatisfy(isDelimiter) else {
                    throw SyntaxError(line: tagLine, message: "a delimiter change must look like '{{=<% %>=}}'")
                }
                open = Array(parts[0])
                close = Array(parts[1])
            default:
                kind = .variable
                name = try checkedName(content, tag: "variable", line: tagLine)
            }
            items.append(.tag(Tag(kind: kind, name: name, range: range, line: tagLine)))
        }
        if position < bytes.count { items.append(.text(position..<bytes.count)) }
        return items
    }

    // MARK: - Standalone lines

    /// Which bytes of literal text reach the output: a line holding only blanks and one tag that
    /// can stand alone loses its blanks and its line ending.
    private static func keptBytes(_ bytes: [UInt8], items: [Item]) -> [Bool] {
        var kept = [Bool](repeating: true, count: bytes.count)
        for item in items {
            guard case .tag(let tag) = item, tag.kind.canStandAlone else { continue }
            var lineStart = tag.range.lowerBound
            while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") {
                guard isBlank(bytes[lineStart - 1]) else { break }
                lineStart -= 1
            }
            guard lineStart == 0 || bytes[lineStart - 1] == UInt8(ascii: "\n") else { continue }
            var lineEnd = tag.range.upperBound
            while lineEnd < bytes.count, isBlank(bytes[lineEnd]) || bytes[lineEnd] == UInt8(ascii: "\r") {
                lineEnd += 1
            }
            if lineEnd < bytes.count {
                guard bytes[lineEnd] == UInt8(ascii: "\n") else { continue }
                lineEnd += 1
            }
            for index in lineStart..<tag.range.lowerBound { kept[index] = false }
            for index in tag.range.upperBound..<lineEnd { kept[index] = false }
        }
        return kept
    }

    // MARK: - Building the program

    private struct OpenSection {
        let name: String
        let inverted: Bool
        let line: Int
        var pieces: [TemplateProgram.Piece] = []
    }

    private static func build(_ bytes: [UInt8], items: [Item], kept: [Bool]) throws(SyntaxError) -> Result {
        var stack: [OpenSection] = [OpenSection(name: "", inverted: false, line: 0)]
        var names = Set<String>()
        var required = Set<String>()
        for item in items {
            switch item {
            case .text(let range):
                var text: [UInt8] = []
                text.reserveCapacity(range.count)
                for index in range where kept[index] { text.append(bytes[index]) }
                if !text.isEmpty { stack[stack.count - 1].pieces.append(.text(String(decoding: text, as: UTF8.self))) }
            case .tag(let tag):
                switch tag.kind {
                case .comment, .delimiters:
                    continue
                case .variable where tag.name == ".":
                    guard let section = stack.dropFirst().last(where: { !$0.inverted }) else {
                        throw SyntaxError(
                            line: tag.line, message: "'{{.}}' is only meaningful inside a '{{#name}}' section")
                    }
                    stack[stack.count - 1].pieces.append(.currentValue(section.name))
                case .variable:
                    names.insert(tag.name)
                    if stack.count == 1 { required.insert(tag.name) }
                    stack[stack.count - 1].pieces.append(.variable(tag.name))
                case .section, .invertedSection:
                    guard tag.name != "." else {
                        throw SyntaxError(line: tag.line, message: "a section needs a variable name, not '.'")
                    }
                    names.insert(tag.name)
                    stack.append(OpenSection(name: tag.name, inverted: tag.kind == .invertedSection, line: tag.line))
                case .close:
                    guard stack.count > 1 else {
                        throw SyntaxError(
                            line: tag.line, message: "'{{/\(tag.name)}}' closes a section that was never opened")
                    }
                    let section = stack.removeLast()
                    guard section.name == tag.name else {
                        throw SyntaxError(
                            line: tag.line,
                            message: "'{{/\(tag.name)}}' does not match the open section '\(section.name)' "
                                + "(opened on line \(section.line))")
                    }
                    stack[stack.count - 1].pieces.append(
                        section.inverted
                            ? .invertedSection(section.name, section.pieces) : .section(section.name, section.pieces))
                }
            }
        }
        if stack.count > 1, let unclosed = stack.last {
            throw SyntaxError(
                line: unclosed.line, message: "section '\(unclosed.name)' is never closed (add '{{/\(unclosed.name)}}')")
        }
        return Result(
            program: TemplateProgram(pieces: stack[0].pieces), variables: names.sorted(),
            requiredVariables: required.sorted())
    }

    // MARK: - Helpers

    /// Tags other than comments open and close on one line: Mustache implementations read
    /// `{{\nname}}` in different ways (a variable, or text), so a template author's intent is
    /// unclear and the tag is refused.
    private static func checkOneLine(_ content: ArraySlice<UInt8>, line: Int) throws(SyntaxError) {
        guard content.contains(UInt8(ascii: "\n")) || content.contains(UInt8(ascii: "\r")) else { return }
        throw SyntaxError(line: line, message: "a tag must open and close on the same line (only comments may span lines)")
    }

    /// A tag's name, trimmed; letters, digits, '_' and '-' only (or "." for the current value).
    private static func checkedName(_ raw: ArraySlice<UInt8>, tag: String, line: Int) throws(SyntaxError) -> String {
        let trimmed = raw.drop(while: isBlankOrNewline).reversed().drop(while: isBlankOrNewline).reversed()
        let name = String(decoding: trimmed, as: UTF8.self)
        if name == "." { return name }
        guard !name.isEmpty else {
            throw SyntaxError(line: line, message: "empty \(tag) tag")
        }
        guard name.utf8.allSatisfy(isNameByte) else {
            if name.contains("(") {
                throw SyntaxError(line: line, message: "'\(name)': transforms are not supported in reply templates")
            }
            if name.contains(".") {
                throw SyntaxError(
                    line: line, message: "'\(name)': dotted names are not supported (values are plain strings)")
            }
            throw SyntaxError(line: line, message: "'\(name)' is not a variable name (letters, digits, '_' and '-' only)")
        }
        return name
    }

    /// A delimiter holds no '=' and no white space of any kind (the Mustache spec; a vertical tab
    /// or a no-break space in a delimiter is refused rather than read one way or the other).
    private static func isDelimiter(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.contains(UInt8(ascii: "="))
            && !String(decoding: bytes, as: UTF8.self).unicodeScalars.contains(where: \.properties.isWhitespace)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func isBlankOrNewline(_ byte: UInt8) -> Bool {
        isBlank(byte) || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
