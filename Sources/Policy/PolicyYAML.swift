internal import Yams

/// Typed readers over a Yams node tree for policy.yaml; every error names the key and the line.
enum PolicyYAML {
    /// The root mapping of `yaml` (an empty document reads as an empty mapping).
    static func rootMapping(_ yaml: String) throws(PolicyFileError) -> Node.Mapping {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw PolicyFileError(line: line(of: error), problem: "not valid YAML: \(summary(of: error))")
        } catch {
            throw PolicyFileError(problem: "not valid YAML: \(error)")
        }
        guard let root, !isNull(root) else { return Node.Mapping([]) }
        guard let mapping = root.mapping else {
            throw PolicyFileError(line: root.mark?.line, problem: "the top level must be a mapping of keys to values")
        }
        return mapping
    }

    /// (key, value, line) per entry; fails on a non-string or repeated key.
    static func entries(of mapping: Node.Mapping, context: String?) throws(PolicyFileError) -> [(String, Node, Int?)] {
        var seen = Set<String>()
        var result: [(String, Node, Int?)] = []
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard let key = keyNode.scalar?.string else {
                throw PolicyFileError(line: line, key: context, problem: "keys must be plain strings")
            }
            guard seen.insert(key).inserted else {
                throw PolicyFileError(line: line, key: qualified(key, in: context), problem: "appears twice")
            }
            result.append((key, value, line))
        }
        return result
    }

    static func qualified(_ key: String, in context: String?) -> String {
        context.map { "\($0).\(key)" } ?? key
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

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

    static func shown(_ node: Node) -> String {
        if let scalar = node.scalar { return isNull(node) ? "nothing" : "'\(scalar.string.prefix(60))'" }
        return node.mapping != nil ? "a mapping" : "a list"
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        case .duplicatedKeysInMapping(let duplicates, _):
            "duplicate keys: \(duplicates.joined(separator: ", "))"
        default: "\(error)"
        }
    }
}
