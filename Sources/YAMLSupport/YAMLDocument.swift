public import Yams

/// What is structurally wrong with a YAML file, and on which line (1-based, when known). Each
/// file reader (settings, tokens, policies) words it for its own file.
public struct YAMLProblem: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Not YAML at all; the parser's own summary.
        case syntax(String)
        /// The document is a list or a single value, not `key: value` lines.
        case topLevelNotMapping
        /// A key that is a list, a mapping or a non-string.
        case keyNotPlainString
        case unknownKey(String, allowed: [String])
        case duplicateKey(String)
    }

    public let kind: Kind
    public let line: Int?

    public init(kind: Kind, line: Int?) {
        self.kind = kind
        self.line = line
    }
}

/// The few things every configuration file reader needs from a Yams node tree, written once.
public enum YAMLDocument {
    /// The root mapping of `yaml`; an empty document reads as an empty mapping.
    public static func rootMapping(_ yaml: String) throws(YAMLProblem) -> Node.Mapping {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw YAMLProblem(kind: .syntax(summary(of: error)), line: line(of: error))
        } catch {
            throw YAMLProblem(kind: .syntax("\(error)"), line: nil)
        }
        guard let root, !isNull(root) else { return Node.Mapping([]) }
        guard let mapping = root.mapping else { throw YAMLProblem(kind: .topLevelNotMapping, line: root.mark?.line) }
        return mapping
    }

    /// A mapping's entries in file order; fails on a key that is not a plain string, a key
    /// listed twice, or (when `allowed` is given) a key not in `allowed`.
    public static func entries(
        of mapping: Node.Mapping, allowed: [String]? = nil
    ) throws(YAMLProblem) -> [(key: String, value: Node, line: Int?)] {
        var seen = Set<String>()
        var result: [(key: String, value: Node, line: Int?)] = []
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard let key = keyNode.scalar?.string else { throw YAMLProblem(kind: .keyNotPlainString, line: line) }
            if let allowed, !allowed.contains(key) {
                throw YAMLProblem(kind: .unknownKey(key, allowed: allowed), line: line)
            }
            guard seen.insert(key).inserted else { throw YAMLProblem(kind: .duplicateKey(key), line: line) }
            result.append((key, value, line))
        }
        return result
    }

    /// `key:` with nothing after it, `~` or `null`: "not set".
    public static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A node as an error message shows it: `'text'` (cut at 60 characters), "nothing", "a mapping", "a list".
    public static func shown(_ node: Node) -> String {
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
