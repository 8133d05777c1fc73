/// A tokens file that cannot be used, with where and what: "tokens.yaml: line 7: tokens[1] (tenant
/// acme): sha256: expected 64 hex digits ...". Never contains a token or a full digest.
public struct TokenFileError: Error, Equatable, CustomStringConvertible {
    /// The file, when the error came from ``TokenFile/load(path:)``.
    public var path: String?
    /// 1-based line in the YAML text, when known.
    public var line: Int?
    public var problem: String

    public init(path: String? = nil, line: Int? = nil, problem: String) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        var text = ""
        if let path { text += "\(path): " }
        if let line { text += "line \(line): " }
        return text + problem
    }
}
