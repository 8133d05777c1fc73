internal import Foundation

/// Where the files that ship with the repository are, when the settings do not say.
enum BundledFiles {
    /// `Templates/` in the current directory, else next to the executable
    /// (`.build/<config>/intentd` → `<repo>/Templates`).
    static func templatesDirectory() -> String {
        let fm = FileManager.default
        let local = fm.currentDirectoryPath + "/Templates"
        if fm.fileExists(atPath: local + "/en.yaml") { return local }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let binDir = executable.deletingLastPathComponent()
        for relative in ["../../Templates", "../../../Templates", "../share/replyintent/Templates"] {
            let candidate = binDir.appendingPathComponent(relative).standardizedFileURL.path
            if fm.fileExists(atPath: candidate + "/en.yaml") { return candidate }
        }
        return local
    }
}
