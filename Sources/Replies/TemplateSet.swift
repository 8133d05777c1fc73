internal import Foundation

/// One owner's templates (the bundled defaults, owner "default", or one tenant's overrides):
/// language -> intent -> parsed template. Immutable; a reload builds a new set.
public struct TemplateSet: Sendable {
    public let owner: String
    private let templates: [String: [String: ReplyTemplate]]
    /// The directory state the set was loaded from (nil for sets built in memory). Compare with
    /// `TemplateDirectoryState.scan(directory:)` to tell whether the files changed since.
    public let state: TemplateDirectoryState?

    public init(owner: String, templates: [String: [String: ReplyTemplate]], state: TemplateDirectoryState? = nil) {
        self.owner = owner
        self.templates = templates
        self.state = state
    }

    /// A set with no templates (a tenant without overrides).
    public static func empty(owner: String) -> TemplateSet {
        TemplateSet(owner: owner, templates: [:])
    }

    /// Loads every template file in `directory` (`<lang>.yaml`, file name = language; hidden and
    /// `*.tmp` files ignored). Throws `TemplateError` naming the file, the intent and the problem;
    /// a missing directory or a file name that is not a two-letter code is an error.
    public static func load(directory: String, owner: String) throws -> TemplateSet {
        let state = TemplateDirectoryState.scan(directory: directory)
        guard state.exists else {
            throw TemplateError(file: directory, problem: "template directory does not exist or cannot be read")
        }
        var templates: [String: [String: ReplyTemplate]] = [:]
        for entry in state.entries {
            let path = (directory as NSString).appendingPathComponent(entry.name)
            let language = String(entry.name.dropLast(".yaml".count))
            guard ReplyCatalog.isLanguageCode(language) else {
                throw TemplateError(
                    file: path,
                    problem: "template files are named by two-letter lowercase language code (like 'es.yaml')")
            }
            let yaml: String
            do {
                yaml = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw TemplateError(file: path, problem: "cannot read the file as UTF-8: \(error.localizedDescription)")
            }
            templates[language] = try TemplateFile.parse(yaml: yaml, language: language, owner: owner, file: path)
        }
        return TemplateSet(owner: owner, templates: templates, state: state)
    }

    /// Parses one file's text (`language` as given by the file name). Throws `TemplateError`.
    public static func parse(yaml: String, language: String, owner: String) throws -> [String: ReplyTemplate] {
        try TemplateFile.parse(yaml: yaml, language: language, owner: owner, file: "\(language).yaml")
    }

    public func template(language: String, intent: String) -> ReplyTemplate? {
        templates[language]?[intent]
    }

    /// Languages with at least one template, sorted.
    public var languages: [String] { templates.keys.sorted() }

    /// Intents with a template in `language`, sorted.
    public func intents(language: String) -> [String] { (templates[language] ?? [:]).keys.sorted() }

    /// Number of templates over all languages.
    public var count: Int { templates.values.reduce(0) { $0 + $1.count } }

    /// True when the directory the set came from looks different now (files added, removed,
    /// resized, touched or replaced). Always false for sets built in memory.
    public func hasChangedOnDisk() -> Bool {
        guard let state else { return false }
        return TemplateDirectoryState.scan(directory: state.directory) != state
    }
}
