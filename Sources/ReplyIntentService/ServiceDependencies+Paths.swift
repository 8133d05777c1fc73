internal import Alerts
public import Logging
internal import Messages
internal import ModelCache
public import Tenancy
internal import TenantStore

extension ServiceDependencies {
    /// Builds every dependency from paths: the shared default model, the tenants directory (tenant
    /// models, policies, templates, corrections; nil for none) and the bundled templates. For
    /// tests and small embeddings; the server wires the same pieces from its configuration.
    /// Loads the default model (throws when it does not load) and every tenant's files.
    public static func load(
        defaultModelPath: String, tenantsDirectory: String?, templatesDirectory: String,
        authentication: Authenticator.Mode = .singleTenant, limits: ServiceLimits = ServiceLimits(),
        alertBufferCapacity: Int = 1024, logMessageText: Bool = false,
        logger: Logger = Logger(label: "replyintent.service")
    ) throws -> ServiceDependencies {
        let layout = TenantLayout(tenantsDirectory: tenantsDirectory)
        let models = try ModelCache(
            configuration: ModelCacheConfiguration(defaultModelPath: defaultModelPath, openTenantModels: layout.openModels),
            logger: logger)
        let tenants = try TenantStore(
            layout: layout, bundledTemplatesDirectory: templatesDirectory, credentials: Authenticator(mode: authentication))
        let reloads = ReloadCoordinator(
            store: tenants, models: models, tokensFile: nil, sharedModelPath: defaultModelPath, logger: logger)
        return ServiceDependencies(
            reloads: reloads, alerts: AlertHub<Alert>(bufferCapacity: alertBufferCapacity), logger: logger, limits: limits,
            logMessageText: logMessageText)
    }
}
