internal import Mustache

/// One parsed reply template: parsed once at load, rendered many times without parsing.
///
/// The text is parsed twice at load: by ``TemplateParser`` into a compiled ``TemplateProgram``
/// (what `render` runs: a walk over text pieces and value slots, fast enough to run inline on an
/// event loop) and by swift-mustache, the reference implementation, in plain-text mode. A template
/// that either parser rejects is rejected; the tests check that both render every bundled template
/// (and thousands of random ones) the same way.
public struct ReplyTemplate: Sendable {
    /// "<owner>/<language>/<intent>", e.g. "acme/es/order_status", "default/en/refund_request".
    public let id: String
    public let owner: String
    public let language: String
    public let intent: String
    /// The distinct variables the template reads (sections included), sorted.
    public let variables: [String]
    /// The variables the reply needs, sorted: those inserted outside every section. The others
    /// are optional: the author wrapped them in their own section (`{{#eta}} It arrives {{eta}}.{{/eta}}`)
    /// so that the reply reads well without them.
    public let requiredVariables: [String]
    /// The template text as written.
    public let source: String
    private let program: TemplateProgram
    private let reference: MustacheTemplate

    /// Puts the reference template in plain-text mode: values are inserted verbatim. It stands alone
    /// on its own line, so that line disappears from the output and the author's first line keeps
    /// its meaning (a standalone tag there stays standalone).
    private static let plainTextPragma = "{{% CONTENT_TYPE: TEXT}}\n"

    /// Parses `text`; errors carry the line within the template text.
    init(owner: String, language: String, intent: String, text: String) throws(TemplateParser.SyntaxError) {
        let parsed = try TemplateParser.parse(text)
        do {
            self.reference = try MustacheTemplate(string: Self.plainTextPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            throw TemplateParser.SyntaxError(
                line: max(1, error.context.lineNumber - 1),
                message: "\(Self.describe(error.error)) at column \(error.context.columnNumber)")
        } catch {
            throw TemplateParser.SyntaxError(line: 1, message: "\(error)")
        }
        self.program = parsed.program
        self.variables = parsed.variables
        self.requiredVariables = parsed.requiredVariables
        self.id = owner + "/" + language + "/" + intent
        self.owner = owner
        self.language = language
        self.intent = intent
        self.source = text
    }

    /// Renders with `values`. Absent and empty values count as missing: they render as nothing and
    /// their sections (`{{#name}}...{{/name}}`) are skipped, their inverted sections shown.
    /// Values are inserted verbatim (plain text, no HTML escaping).
    public func render(_ values: [String: String]) -> String {
        program.render(values)
    }

    /// The same rendering done by swift-mustache (slower: reflection and dynamic casts per tag).
    /// Tests compare it with `render`.
    func renderWithReference(_ values: [String: String]) -> String {
        reference.render(RenderValues(values: values))
    }

    /// The required variables that `values` lacks or gives as "", sorted: the reply cannot be
    /// sent as it is without them.
    public func missingVariables(in values: [String: String]) -> [String] {
        var missing: [String] = []
        for name in requiredVariables where values[name]?.isEmpty ?? true {
            missing.append(name)
        }
        return missing
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "closing tag does not match the open section"
        case .unfinishedName: return "unfinished tag"
        case .expectedSectionEnd: return "section is never closed"
        case .invalidSetDelimiter: return "bad delimiter change"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "template inheritance is not supported"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "pragmas are not supported"
        }
    }
}

/// The render context: a lookup that hides empty values, and wraps each value so that a section's
/// inner lookups go straight to the outer values (no reflection on the String).
private struct RenderValues: MustacheParent {
    let values: [String: String]

    func child(named name: String) -> Any? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return RenderValue(text: value)
    }
}

/// One value: renders as its text, has no children (so `{{name}}` inside `{{#name}}` finds the outer value).
private struct RenderValue: MustacheParent, MustacheCustomRenderable {
    let text: String
    var renderText: String { text }
    var isNull: Bool { false }
    func child(named name: String) -> Any? { nil }
}
