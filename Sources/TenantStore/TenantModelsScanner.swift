public import Logging
public import ModelCache
internal import Posix
public import Tenancy

/// The models step of a reload: finds the tenant directories, opens each tenant's models
/// directory through ``TenantLayout`` and tells ``ModelCache`` which files it holds. Remembers
/// what it reported (an invalid directory name, a tenant skipped because its directory is a
/// symbolic link), so each is logged and reported once, when it appears.
///
/// Not `Sendable`: owned by the reload procedure, which runs one at a time.
public final class TenantModelsScanner {
    public let layout: TenantLayout
    let logger: Logger
    private var reportedInvalid: Set<String> = []
    /// Tenants skipped now and why.
    private var skipped: [String: String] = [:]

    public init(layout: TenantLayout, logger: Logger) {
        self.layout = layout
        self.logger = logger
    }

    /// The valid tenant directories on disk (symbolic links in their place included: their
    /// scan refuses them with a reason); invalid names are logged once each.
    public func tenantDirectories() -> [TenantID] {
        let (tenants, invalid) = layout.tenantEntries()
        for name in invalid where reportedInvalid.insert(name).inserted {
            logger.warning(
                "skipping tenant directory with an invalid name: tenant ids match ^[a-z0-9][a-z0-9_-]{0,62}$",
                metadata: ["directory": "\(name)"])
        }
        return tenants
    }

    /// Loads the tenant's new and changed model files into `cache` (see
    /// ``ModelCache/update(tenant:directory:files:)``); a refused models directory counts as
    /// one without files, and its reason is the first line (once, while it stays).
    public func update(_ tenant: TenantID, in cache: ModelCache) -> TenantModelsUpdate {
        let name = tenant.rawValue
        var refusal: String?
        var directory: Directory?
        switch layout.openModels(of: name) {
        case .opened(let opened):
            directory = opened
            skipped[name] = nil
        case .absent:
            skipped[name] = nil
        case .refused(let reason):
            if skipped.updateValue(reason, forKey: name) != reason {
                logger.warning("\(reason)", metadata: ["tenant": "\(name)"])
                refusal = reason
            }
        }
        let files = directory.map { layout.modelFiles(in: $0, tenant: name, logger: logger) } ?? []
        var update = cache.update(tenant: name, directory: directory, files: files)
        if let refusal { update.lines.insert(refusal, at: 0) }
        return update
    }
}
