/// The names a log rotates through: `dir/corrections.jsonl` is the live file,
/// `dir/corrections.1.jsonl` the newest rotated one, `dir/corrections.2.jsonl` the next, and so
/// on (a name without an extension gets `.1`, `.2`, … appended).
struct RotatedFileNames: Sendable, Equatable {
    /// The live file.
    let path: String
    /// The folder holding it ("." for a bare name).
    let directory: String
    private let stem: String
    private let suffix: String

    init(path: String) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let nameStart = slash.map { path.index(after: $0) } ?? path.startIndex
        directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = path[nameStart...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = String(path[..<dot])
            suffix = String(path[dot...])
        } else {
            stem = path
            suffix = ""
        }
    }

    /// The `generation`th rotated file (1 = newest).
    func rotated(_ generation: Int) -> String {
        "\(stem).\(generation)\(suffix)"
    }
}
