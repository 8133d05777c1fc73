internal import Foundation
internal import Replies

/// What a tenant's configuration files look like on disk right now: the `*.yaml` files of its
/// directory (`policy.yaml` is the one read) and of `templates/`, each with size, modification
/// time and inode (`Replies.TemplateDirectoryState` takes both). Two equal states mean the files
/// did not change, so a reload can skip the tenant without reading or parsing anything.
struct TenantFileState: Equatable, Sendable {
    /// Whether the tenant has a directory at all.
    var exists: Bool
    /// The tenant directory's own YAML files.
    var topLevel: TemplateDirectoryState?
    /// `templates/*.yaml`.
    var templates: TemplateDirectoryState?

    static let absent = TenantFileState(exists: false, topLevel: nil, templates: nil)

    /// Reads the state of `directory` (a tenant's directory) with one `stat` per file.
    static func read(directory: String) -> TenantFileState {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .absent
        }
        return TenantFileState(
            exists: true, topLevel: TemplateDirectoryState.scan(directory: directory),
            templates: TemplateDirectoryState.scan(directory: directory + "/" + TenantLayout.templatesDirectoryName))
    }

    var hasPolicy: Bool { topLevel?.entries.contains { $0.name == TenantLayout.policyFileName } ?? false }
    var templateFileCount: Int { templates?.entries.count ?? 0 }
}
