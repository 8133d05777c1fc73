/// One parsed reply template: parsed once at load by ``TemplateParser`` into a compiled
/// ``TemplateProgram``, rendered many times without parsing (a walk over text pieces and value
/// slots, fast enough to run inline on an event loop).
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

    /// Parses `text`; errors carry the line within the template text.
    init(owner: String, language: String, intent: String, text: String) throws(TemplateParser.SyntaxError) {
        let parsed = try TemplateParser.parse(text)
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

    /// The required variables that `values` lacks or gives as "", sorted: the reply cannot be
    /// sent as it is without them.
    public func missingVariables(in values: [String: String]) -> [String] {
        var missing: [String] = []
        for name in requiredVariables where values[name]?.isEmpty ?? true {
            missing.append(name)
        }
        return missing
    }
}
