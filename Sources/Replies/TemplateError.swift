/// A template file or template that cannot be used, with where and why.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (path or name) the template came from.
    public let file: String
    /// The intent whose template is wrong; nil for problems with the file as a whole.
    public let intent: String?
    /// Line in the file, when known (1-based).
    public let line: Int?
    /// What is wrong, for a person to fix.
    public let problem: String

    public init(file: String, intent: String? = nil, line: Int? = nil, problem: String) {
        self.file = file
        self.intent = intent
        self.line = line
        self.problem = problem
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let intent { text += ": template '\(intent)'" }
        return text + ": " + problem
    }
}
