public import Foundation

/// What a template directory looks like on disk: (name, size, modification time, file number) of
/// each template file (of its target, for a symbolic link). Cheap to take (one directory listing + one stat per file), so a rescan
/// compares a fresh state with the one a `TemplateSet` was loaded from and reloads only on change.
public struct TemplateDirectoryState: Equatable, Sendable, CustomStringConvertible {
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let size: Int
        public let modified: Date?
        /// Inode number: a write-then-rename changes it even when size and time do not.
        public let fileNumber: UInt64
    }

    public let directory: String
    /// False when the directory does not exist (entries is then empty).
    public let exists: Bool
    /// Template files (`*.yaml`, not hidden, not `*.tmp`), sorted by name.
    public let entries: [Entry]

    /// Takes the state of `directory` now. A missing or unreadable directory gives `exists == false`.
    public static func scan(directory: String) -> TemplateDirectoryState {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else {
            return TemplateDirectoryState(directory: directory, exists: false, entries: [])
        }
        var entries: [Entry] = []
        for name in names.sorted() where isTemplateFileName(name) {
            // Follow symbolic links: with mounted config (a link per file into a directory that is
            // swapped atomically) only the target's inode, size and time change.
            let path = URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name))
                .resolvingSymlinksInPath().path
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType != .typeDirectory
            else { continue }
            entries.append(
                Entry(
                    name: name,
                    size: (attributes[.size] as? NSNumber)?.intValue ?? -1,
                    modified: attributes[.modificationDate] as? Date,
                    fileNumber: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0))
        }
        return TemplateDirectoryState(directory: directory, exists: true, entries: entries)
    }

    /// Template files are `<name>.yaml`; hidden files and writers' `*.tmp` files are ignored.
    public static func isTemplateFileName(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".tmp") && name.hasSuffix(".yaml")
    }

    public var description: String {
        guard exists else { return "\(directory): no such directory" }
        return "\(directory): " + entries.map { "\($0.name) (\($0.size) bytes)" }.joined(separator: ", ")
    }
}
