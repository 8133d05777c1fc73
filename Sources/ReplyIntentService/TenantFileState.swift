internal import Foundation

/// What a tenant's configuration files look like on disk right now: `policy.yaml` and
/// `templates/*.yaml`, each with size, modification time and inode. Two equal states mean the
/// files did not change, so a reload can skip the tenant without reading or parsing anything.
struct TenantFileState: Equatable, Sendable {
    struct File: Equatable, Sendable {
        var name: String
        var size: Int64
        var modified: Double
        var inode: UInt64
    }

    /// Whether the tenant has a directory at all.
    var exists: Bool
    /// Every relevant file, sorted by name ("policy.yaml", "templates/es.yaml", ...).
    var files: [File]

    static let absent = TenantFileState(exists: false, files: [])

    static let policyFileName = "policy.yaml"
    static let templatesDirectoryName = "templates"

    /// Reads the state of `directory` (a tenant's directory) with one `stat` per file.
    static func read(directory: String) -> TenantFileState {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .absent
        }
        var found: [File] = []
        if let file = stat(directory + "/" + policyFileName, name: policyFileName) { found.append(file) }
        let templates = directory + "/" + templatesDirectoryName
        for name in (try? files.contentsOfDirectory(atPath: templates)) ?? [] where isTemplateFileName(name) {
            if let file = stat(templates + "/" + name, name: templatesDirectoryName + "/" + name) { found.append(file) }
        }
        found.sort { $0.name < $1.name }
        return TenantFileState(exists: true, files: found)
    }

    var hasPolicy: Bool { files.contains { $0.name == Self.policyFileName } }
    var templateFileCount: Int { files.count - (hasPolicy ? 1 : 0) }

    /// Template files are `<lang>.yaml`; files starting with "." or ending ".tmp" are a writer's
    /// work in progress (write, then rename) and are ignored.
    static func isTemplateFileName(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".tmp") && name.hasSuffix(".yaml")
    }

    private static func stat(_ path: String, name: String) -> File? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.type] as? FileAttributeType) != .typeDirectory
        else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return File(name: name, size: size, modified: modified, inode: inode)
    }
}
