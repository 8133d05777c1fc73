internal import Foundation
public import Logging
public import ModelCache
public import Posix
public import Tenancy

/// The tenants directory, the only code that knows its layout:
///
/// ```
/// <tenants_dir>/<tenant>/policy.yaml          the tenant's policy (optional)
/// <tenant>/templates/*.yaml                   reply template overrides (optional)
/// <tenant>/models/<name>.rimodel              the tenant's own models (optional)
/// <tenant>/corrections.jsonl                  agent corrections (written by the service)
/// ```
/// Tenant directory names follow ``TenantID``'s rule; so do model names.
public struct TenantLayout: Sendable {
    public static let policyFileName = "policy.yaml"
    public static let templatesDirectoryName = "templates"
    public static let modelsDirectoryName = "models"
    public static let modelFileSuffix = ".rimodel"
    public static let correctionsFileName = "corrections.jsonl"

    /// `<tenants_dir>`; nil when the server has none (every tenant uses the defaults).
    public let tenantsDirectory: String?

    public init(tenantsDirectory: String?) {
        self.tenantsDirectory = tenantsDirectory
    }

    /// The tenant's directory; tenant ids are validated, so this is always a plain child directory.
    public func directory(of tenant: TenantID) -> String? {
        tenantsDirectory.map { $0 + "/" + tenant.rawValue }
    }

    /// The file a tenant's corrections go to.
    public func correctionsFile(of tenant: TenantID) -> String? {
        directory(of: tenant).map { $0 + "/" + Self.correctionsFileName }
    }

    /// The entries of the tenants directory that are directories (or symbolic links in their
    /// place, which ``openModels(of:)`` refuses with a reason), split into valid tenant ids and
    /// other names. Dot names are ignored.
    func tenantEntries() -> (tenants: [TenantID], invalid: [String]) {
        guard let root = tenantsDirectory, let directory = try? Directory(path: root),
            let names = try? directory.entryNames()
        else { return ([], []) }
        var tenants: [TenantID] = []
        var invalid: [String] = []
        for name in names where !name.hasPrefix(".") {
            guard let type = directory.status(of: name)?.type, type == .directory || type == .symbolicLink else { continue }
            if let tenant = TenantID(name) { tenants.append(tenant) } else { invalid.append(name) }
        }
        return (tenants, invalid)
    }

    /// A tenant's models directory, reached from the tenants directory without following a
    /// symbolic link: `<tenant>` and `<tenant>/models` must be real directories.
    public func openModels(of tenant: String) -> ModelsDirectoryAccess {
        guard let root = tenantsDirectory else { return .absent }
        let tenants: Directory
        do throws(FileAccessError) {
            tenants = try Directory(path: root)
        } catch {
            if error.reason == .notFound { return .absent }
            return .refused("skipped tenant \(tenant): cannot open the tenants directory \(root): \(error.description)")
        }
        do throws(FileAccessError) {
            return .opened(try tenants.subdirectory(tenant).subdirectory(Self.modelsDirectoryName))
        } catch {
            switch error.reason {
            case .notFound:
                return .absent
            case .symbolicLink:
                return .refused(
                    "skipped tenant \(tenant): \(error.path) is a symbolic link; a tenant's directory and its models"
                        + " directory must be real directories inside the tenants directory")
            case .wrongType(let type):
                return .refused("skipped tenant \(tenant): \(error.path) is \(type), not a directory")
            case .tooLarge, .failed:
                return .refused("skipped tenant \(tenant): cannot open \(error.description)")
            }
        }
    }

    /// `<name>.rimodel` entries of a tenant's models directory (valid names) with their own
    /// status (`lstat`: a symbolic link is seen as one, never as its target). Entries of any
    /// type are listed: loading refuses what is not a regular file, with a reason in its
    /// status. Dot files and `*.tmp` (writers write-then-rename) are ignored.
    public func modelFiles(in directory: Directory, tenant: String, logger: Logger? = nil) -> [ModelFile] {
        guard let names = try? directory.entryNames() else { return [] }
        var files: [ModelFile] = []
        for file in names where !file.hasPrefix(".") && !file.hasSuffix(".tmp") && file.hasSuffix(Self.modelFileSuffix) {
            let name = String(file.dropLast(Self.modelFileSuffix.count))
            guard TenantID(name) != nil else {
                logger?.debug("ignoring model file with an invalid name", metadata: ["tenant": "\(tenant)", "file": "\(file)"])
                continue
            }
            // Gone since the listing: treated as removed.
            if let status = directory.status(of: file) { files.append(ModelFile(name: name, fileName: file, status: status)) }
        }
        return files
    }
}
