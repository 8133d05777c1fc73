internal import Alerts
internal import Logging
internal import Messages
internal import ModelCache
internal import Tenancy
internal import TenantStore

/// The state the ReplyIntent and ReplyIntentAdmin services share, built once per server by
/// ``ReplyIntentService/init(_:)``: the dependencies, the classification pipeline, and whether
/// calls are logged. Immutable and `Sendable`; every handler closure holds it.
final class ServiceCore: Sendable {
    let pipeline: ClassificationPipeline
    let models: ModelCache
    let tenants: TenantStore
    let reloads: ReloadCoordinator
    let alerts: AlertHub<Alert>
    let corrections: CorrectionLog
    let streams: ConversationStreams
    let logger: Logger
    let limits: ServiceLimits
    let logMessageText: Bool
    let connectionSubscribers = ConnectionSubscribers()
    /// Whether the per-call debug line is enabled: decided once, so a call that is not logged does
    /// not even read the clock.
    let logsCalls: Bool

    init(_ dependencies: ServiceDependencies) {
        pipeline = ClassificationPipeline(dependencies)
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
