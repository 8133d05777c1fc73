internal import YAMLSupport
internal import Yams

/// Typed readers over a Yams node tree for policy.yaml; every error names the key and the line.
enum PolicyYAML {
    /// The root mapping of `yaml` (an empty document reads as an empty mapping).
    static func rootMapping(_ yaml: String) throws(PolicyFileError) -> Node.Mapping {
        do {
            return try YAMLDocument.rootMapping(yaml)
        } catch {
            throw fileError(error, context: nil)
        }
    }

    /// (key, value, line) per entry; fails on a non-string or repeated key.
    static func entries(of mapping: Node.Mapping, context: String?) throws(PolicyFileError) -> [(String, Node, Int?)] {
        do {
            return try YAMLDocument.entries(of: mapping).map { ($0.key, $0.value, $0.line) }
        } catch {
            throw fileError(error, context: context)
        }
    }

    private static func fileError(_ problem: YAMLProblem, context: String?) -> PolicyFileError {
        switch problem.kind {
        case .syntax(let summary): PolicyFileError(line: problem.line, problem: "not valid YAML: \(summary)")
        case .topLevelNotMapping:
            PolicyFileError(line: problem.line, problem: "the top level must be a mapping of keys to values")
        case .keyNotPlainString: PolicyFileError(line: problem.line, key: context, problem: "keys must be plain strings")
        case .duplicateKey(let key):
            PolicyFileError(line: problem.line, key: qualified(key, in: context), problem: "appears twice")
        case .unknownKey(let key, _):
            PolicyFileError(line: problem.line, key: qualified(key, in: context), problem: "is not a policy key")
        }
    }

    static func qualified(_ key: String, in context: String?) -> String {
        context.map { "\($0).\(key)" } ?? key
    }

    static func isNull(_ node: Node) -> Bool { YAMLDocument.isNull(node) }

    static func string(_ node: Node, key: String) throws(PolicyFileError) -> String {
        guard let scalar = node.scalar, !isNull(node) else {
            throw PolicyFileError(line: node.mark?.line, key: key, problem: "expected a text value")
        }
        return scalar.string
    }

    static func bool(_ node: Node, key: String) throws(PolicyFileError) -> Bool {
        guard let value = node.bool else {
            throw PolicyFileError(
                line: node.mark?.line, key: key, problem: "expected true or false, got \(shown(node))")
        }
        return value
    }

    /// A number in 0...1.
    static func fraction(_ node: Node, key: String) throws(PolicyFileError) -> Double {
        guard let text = node.scalar?.string, let value = Double(text), value.isFinite, (0...1).contains(value) else {
            throw PolicyFileError(
                line: node.mark?.line, key: key, problem: "expected a number between 0 and 1, got \(shown(node))")
        }
        return value
    }

    static func shown(_ node: Node) -> String { YAMLDocument.shown(node) }
}
