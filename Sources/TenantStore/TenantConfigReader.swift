internal import Foundation
internal import Policy
internal import Replies
internal import Tenancy

/// A tenant's policy and reply composer, read from its directory and validated whole; throws
/// the first problem (naming the file) so that the caller keeps the previous snapshot.
struct TenantConfig {
    let policy: TenantPolicy
    let composer: ReplyComposer
    let origin: String
}

extension TenantStore {
    /// Reads the tenant's `policy.yaml` and `templates/*.yaml` (each checked by ``TenantFileGuard``
    /// first) on top of the defaults. Blocks on file I/O: the reload procedure calls it.
    func readConfig(_ tenant: TenantID, state: TenantFileState) throws -> TenantConfig {
        guard let directory = layout.directory(of: tenant), let tenantsDirectory = layout.tenantsDirectory else {
            return TenantConfig(policy: defaultPolicy, composer: defaultSnapshot.composer, origin: defaultSnapshot.origin)
        }
        try TenantFileGuard.checkDirectory(directory, tenantsDirectory: tenantsDirectory)
        var policy = defaultPolicy
        let policyFile = directory + "/" + TenantLayout.policyFileName
        if state.hasPolicy {
            try TenantFileGuard.check(policyFile, tenantDirectory: directory)
            policy = try TenantPolicy.load(path: policyFile)
            if let problem = ModelName.problem(with: policy.model) {
                throw TenantFileError(file: policyFile, problem: "model '\(policy.model)': \(problem)")
            }
        }
        var overrides: TemplateSet? = nil
        if state.templateFileCount > 0 {
            let templates = directory + "/" + TenantLayout.templatesDirectoryName
            for entry in state.templates?.entries ?? [] {
                try TenantFileGuard.check(templates + "/" + entry.name, tenantDirectory: directory)
            }
            overrides = try TemplateSet.load(directory: templates, owner: tenant.rawValue)
        }
        return TenantConfig(
            policy: policy, composer: ReplyComposer(defaults: bundledTemplates, tenant: overrides), origin: directory)
    }
}
