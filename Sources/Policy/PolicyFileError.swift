/// A policy.yaml that cannot be used: "acme/policy.yaml: line 4: confidence_threshold: expected a
/// number between 0 and 1, got 1.5".
public struct PolicyFileError: Error, Equatable, CustomStringConvertible {
    /// The file, when the error came from ``TenantPolicy/load(path:)``.
    public var path: String?
    /// 1-based line in the YAML text, when known.
    public var line: Int?
    /// The key at fault ("intent_thresholds.order_status"), when one is.
    public var key: String?
    public var problem: String

    public init(path: String? = nil, line: Int? = nil, key: String? = nil, problem: String) {
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        var text = ""
        if let path { text += "\(path): " }
        if let line { text += "line \(line): " }
        if let key { text += "\(key): " }
        return text + problem
    }
}
