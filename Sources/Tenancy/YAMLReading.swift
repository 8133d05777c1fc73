internal import Yams

/// Small typed readers over a Yams node tree, so every error names the key and the line.
enum YAMLReading {
    /// The root mapping of `yaml` (an empty document reads as an empty mapping).
    static func rootMapping(_ yaml: String) throws(TokenFileError) -> Node.Mapping {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw TokenFileError(line: line(of: error), problem: "not valid YAML: \(summary(of: error))")
        } catch {
            throw TokenFileError(problem: "not valid YAML: \(error)")
        }
        guard let root else { return Node.Mapping([]) }
        if root.scalar.map(isNull) == true { return Node.Mapping([]) }
        guard let mapping = root.mapping else {
            throw TokenFileError(line: root.mark?.line, problem: "the top level must be a mapping of keys to values")
        }
        return mapping
    }

    /// The mapping's entries as (key, value), failing on a non-string or duplicate key, or a key not in `allowed`.
    static func entries(
        of mapping: Node.Mapping, allowed: [String], context: String
    ) throws(TokenFileError) -> [(key: String, value: Node, line: Int?)] {
        var seen = Set<String>()
        var result: [(key: String, value: Node, line: Int?)] = []
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard let key = keyNode.scalar?.string else {
                throw TokenFileError(line: line, problem: "\(context): keys must be plain strings")
            }
            guard allowed.contains(key) else {
                throw TokenFileError(
                    line: line,
                    problem: "\(context): unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard seen.insert(key).inserted else {
                throw TokenFileError(line: line, problem: "\(context): key '\(key)' appears twice")
            }
            result.append((key, value, line))
        }
        return result
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

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
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
