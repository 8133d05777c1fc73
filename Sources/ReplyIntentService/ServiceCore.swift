internal import Alerts
internal import Logging
internal import Messages
internal import ModelCache
internal import Tenancy
internal import TenantStore

/// The state both services share: dependencies, the scratch pool, and whether calls are logged.
/// Immutable and `Sendable`; every handler closure holds one.
final class ServiceCore: Sendable {
    let models: ModelCache
    let tenants: TenantStore
    let reloads: ReloadCoordinator
    let alerts: AlertHub<Alert>
    let corrections: CorrectionLog
    let streams: ConversationStreams
    let logger: Logger
    let limits: ServiceLimits
    let logMessageText: Bool
    let scratches = ScratchPool()
    let connectionSubscribers = ConnectionSubscribers()
    /// Whether the per-call debug line is enabled: decided once, so a call that is not logged does
    /// not even read the clock.
    let logsCalls: Bool

    init(_ dependencies: ServiceDependencies) {
        models = dependencies.models
        tenants = dependencies.tenants
        reloads = dependencies.reloads
        alerts = dependencies.alerts
        corrections = dependencies.corrections
        streams = dependencies.streams
        logger = dependencies.logger
        limits = dependencies.limits
        logMessageText = dependencies.logMessageText
        logsCalls = dependencies.logger.logLevel <= .debug
    }
}
