internal import Yams

/// Reads one template file (Templates/<lang>.yaml or a tenant's templates/<lang>.yaml):
/// ```yaml
/// language: es            # optional; must match the file name
/// templates:
///   order_status: "Hola{{#buyer_name}} {{buyer_name}}{{/buyer_name}}, ..."
/// ```
/// Unknown keys, unknown intents, non-string or empty templates and template syntax errors are
/// errors naming the file, the intent and the problem.
enum TemplateFile {
    static func parse(yaml: String, language: String, owner: String, file: String) throws(TemplateError)
        -> [String: ReplyTemplate]
    {
        guard ReplyCatalog.isLanguageCode(language) else {
            throw TemplateError(
                file: file, problem: "'\(language)' is not a two-letter lowercase language code (like 'es')")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw TemplateError(file: file, problem: "not valid YAML: \(error)")
        }
        guard let root else {
            throw TemplateError(file: file, problem: "the file is empty (expected 'templates:' with one key per intent)")
        }
        guard let mapping = root.mapping else {
            throw TemplateError(file: file, line: root.mark?.line, problem: "expected a mapping with 'templates:'")
        }
        var templatesNode: Node?
        for (key, value) in mapping {
            switch key.string {
            case "language":
                guard let declared = value.scalar?.string, declared == language else {
                    throw TemplateError(
                        file: file, line: key.mark?.line,
                        problem: "'language: \(value.scalar?.string ?? "?")' does not match the file name's "
                            + "language '\(language)'")
                }
            case "templates":
                templatesNode = value
            default:
                throw TemplateError(
                    file: file, line: key.mark?.line,
                    problem: "unknown key '\(key.string ?? "?")' (expected 'language' and 'templates')")
            }
        }
        guard let templatesNode else {
            throw TemplateError(file: file, problem: "missing 'templates:' (one key per intent)")
        }
        if templatesNode.scalar.map({ $0.string.isEmpty || $0.string == "~" || $0.string == "null" }) == true {
            return [:]  // "templates:" with nothing under it: a file that overrides nothing
        }
        guard let templates = templatesNode.mapping else {
            throw TemplateError(
                file: file, line: templatesNode.mark?.line, problem: "'templates' must map intents to template text")
        }
        var result: [String: ReplyTemplate] = [:]
        for (key, value) in templates {
            let line = key.mark?.line
            guard let intent = key.scalar?.string, ReplyCatalog.intentSet.contains(intent) else {
                throw TemplateError(
                    file: file, intent: key.scalar?.string, line: line,
                    problem: "unknown intent (known: \(ReplyCatalog.intents.joined(separator: " ")))")
            }
            guard result[intent] == nil else {
                throw TemplateError(file: file, intent: intent, line: line, problem: "is defined twice")
            }
            guard let scalar = value.scalar else {
                throw TemplateError(file: file, intent: intent, line: line, problem: "must be a string of template text")
            }
            let text = scalar.string
            guard !text.allSatisfy(\.isWhitespace) else {
                throw TemplateError(file: file, intent: intent, line: line, problem: "has no text")
            }
            do {
                result[intent] = try ReplyTemplate(owner: owner, language: language, intent: intent, text: text)
            } catch {
                throw TemplateError(
                    file: file, intent: intent, line: line,
                    problem: "line \(error.line) of the template: \(error.message)")
            }
        }
        return result
    }
}
