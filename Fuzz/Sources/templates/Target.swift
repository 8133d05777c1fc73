import FuzzSupport
@testable import Replies

/// Reply templates: a template file (`TemplateSet.parse(yaml:language:owner:)`), and the same
/// bytes as one template's text (`ReplyTemplate`). Input: the file's bytes (Fuzz/Corpus/templates).
///
/// Checked beyond "does not crash": every template that parses keeps the renderer's invariants
/// (`TemplateInvariants`, shared with Tests/RepliesTests: empty values are missing values, the
/// output is the template's text in order plus the values, each value at most once per tag,
/// required variables shown and reported missing exactly).
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

func check(_ template: ReplyTemplate) {
    let broken = TemplateInvariants.violations(template)
    guard broken.isEmpty else {
        fatalError("template \(template.source.debugDescription) breaks: \(broken.joined(separator: "; "))")
    }
}
