import FuzzSupport
@testable import Replies

/// Reply templates: a template file (`TemplateSet.parse(yaml:language:owner:)`), and the same
/// bytes as one template's text (`ReplyTemplate`), rendered with a few sets of values. Input: the
/// file's bytes (Fuzz/Corpus/templates).
///
/// Checked beyond "does not crash": our compiled renderer and swift-mustache, the reference,
/// render every template that both accept to the same visible lines (`visibleLines`: blank lines
/// and blanks at line ends aside); templates with line breaks other than LF and CRLF are not
/// compared (`otherLineBreaks`, `hasLoneCarriageReturn`): where swift-mustache departs from the
/// spec, only those differ.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    let source = text(bytes)
    if let templates = try? TemplateSet.parse(yaml: source, language: declaredLanguage(bytes), owner: "fuzz") {
        for template in templates.values { check(template) }
    }
    // TemplateFile refuses text that is only white space before it makes a template.
    if !source.allSatisfy(\.isWhitespace),
        let template = try? ReplyTemplate(owner: "fuzz", language: "en", intent: "order_status", text: source)
    {
        check(template)
    }
    return 0
}

/// The file's own `language: xx` line (the file name gives it when loaded from a directory);
/// "en" when there is none.
func declaredLanguage(_ bytes: [UInt8]) -> String {
    let key = Array("language: ".utf8)
    var index = 0
    while index + key.count + 2 <= bytes.count {
        if (index == 0 || bytes[index - 1] == UInt8(ascii: "\n")) && bytes[index..<(index + key.count)].elementsEqual(key) {
            let code = bytes[(index + key.count)..<(index + key.count + 2)]
            if code.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) { return text(code) }
        }
        index += 1
    }
    return "en"
}

/// The lines of a rendered text that hold more than blanks, without their trailing blanks.
/// Where swift-mustache and we disagree on the spec's corners, the difference is only in blank
/// lines and blanks at line ends (which lines stand alone when several tags share one, a last line
/// of blanks, a lone CR); a real difference (a value, a section shown or not) survives this.
func visibleLines(_ text: String) -> [[UInt8]] {
    Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).compactMap { line in
        var end = line.endIndex
        while end > line.startIndex, [0x20, 0x09, 0x0D].contains(line[end - 1]) { end -= 1 }
        return end == line.startIndex ? nil : Array(line[..<end])
    }
}

/// Line breaks other than LF and CR: swift-mustache treats them as line ends (Swift's
/// `Character.isNewline`: `{{#n}}\u{0B}{{/n}}` renders nothing), the Mustache spec and we as text;
/// templates holding one are rendered but not compared.
let otherLineBreaks: Set<Unicode.Scalar> = ["\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]

/// Whether a CR stands without the LF of a CRLF: swift-mustache ends a line there (Swift's
/// `Character.isNewline`), the spec and we do not (`{{!}}\r\u{0}`).
func hasLoneCarriageReturn(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.indices.contains { bytes[$0] == 0x0D && ($0 + 1 == bytes.count || bytes[$0 + 1] != 0x0A) }
}

/// Renders with no values, every variable set, and every other variable set (empty values
/// count as missing).
func check(_ template: ReplyTemplate) {
    let names = template.variables
    var all: [String: String] = [:]
    var some: [String: String] = [:]
    for (index, name) in names.enumerated() {
        all[name] = "<\(name)>"
        some[name] = index % 2 == 0 ? "v\(index)" : ""
    }
    let compare = !template.source.unicodeScalars.contains(where: otherLineBreaks.contains)
        && !hasLoneCarriageReturn(template.source)
    for values in [[:], all, some] {
        let ours = template.render(values)
        guard compare else { continue }
        let reference = template.renderWithReference(values)
        guard ours == reference || visibleLines(ours) == visibleLines(reference) else {
            fatalError("template renders differ from swift-mustache with \(values):\n---\n\(ours)\n---\n\(reference)\n---")
        }
        _ = template.missingVariables(in: values)
    }
}
