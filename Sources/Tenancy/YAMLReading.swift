internal import YAMLSupport
internal import Yams

/// Small typed readers over a Yams node tree, so every error names the key and the line.
enum YAMLReading {
    /// The root mapping of `yaml` (an empty document reads as an empty mapping).
    static func rootMapping(_ yaml: String) throws(TokenFileError) -> Node.Mapping {
        do {
            return try YAMLDocument.rootMapping(yaml)
        } catch {
            switch error.kind {
            case .syntax(let summary): throw TokenFileError(line: error.line, problem: "not valid YAML: \(summary)")
            default: throw TokenFileError(line: error.line, problem: "the top level must be a mapping of keys to values")
            }
        }
    }

    /// The mapping's entries as (key, value), failing on a non-string or duplicate key, or a key not in `allowed`.
    static func entries(
        of mapping: Node.Mapping, allowed: [String], context: String
    ) throws(TokenFileError) -> [(key: String, value: Node, line: Int?)] {
        do {
            return try YAMLDocument.entries(of: mapping, allowed: allowed)
        } catch {
            let problem =
                switch error.kind {
                case .unknownKey(let key, let allowed):
                    "unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))"
                case .duplicateKey(let key): "key '\(key)' appears twice"
                default: "keys must be plain strings"
                }
            throw TokenFileError(line: error.line, problem: "\(context): \(problem)")
        }
    }

    static func string(_ node: Node, key: String, context: String) throws(TokenFileError) -> String {
        guard let scalar = node.scalar, !isNull(scalar) else {
            throw TokenFileError(line: node.mark?.line, problem: "\(context): \(key): expected a text value")
        }
        return scalar.string
    }

    static func bool(_ node: Node, key: String, context: String) throws(TokenFileError) -> Bool {
        guard let value = node.bool else {
            throw TokenFileError(line: node.mark?.line, problem: "\(context): \(key): expected true or false")
        }
        return value
    }

    /// A sequence (a missing or null value reads as empty).
    static func sequence(_ node: Node, key: String) throws(TokenFileError) -> [Node] {
        if let scalar = node.scalar, isNull(scalar) { return [] }
        guard let sequence = node.sequence else {
            throw TokenFileError(line: node.mark?.line, problem: "\(key): expected a list (entries starting with '- ')")
        }
        return Array(sequence)
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool { YAMLDocument.isNull(.scalar(scalar)) }
}
