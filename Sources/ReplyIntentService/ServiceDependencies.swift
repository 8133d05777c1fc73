public import Alerts
public import Logging
public import Messages
public import ModelCache
public import TenantStore

/// Everything the ReplyIntent services need, built by the server (ReplyIntentServer) or a test.
public struct ServiceDependencies: Sendable {
    public var models: ModelCache
    /// Tenant snapshots and credentials (the handlers read them, never a file).
    public var tenants: TenantStore
    /// Runs every reload (the ReloadModels RPC asks it).
    public var reloads: ReloadCoordinator
    /// Tenant-scoped alert buffers; every RPC publishes here, stream subscribers read.
    public var alerts: AlertHub<Alert>
    /// Where agent corrections go (by default `<tenants_dir>/<tenant>/corrections.jsonl`).
    public var corrections: CorrectionLog
    /// The open StreamConversations calls; the server calls `streams.shutdown()` when it stops.
    public var streams: ConversationStreams
    public var logger: Logger
    public var limits: ServiceLimits
    /// When false (the default), no log line ever contains a buyer's message text.
    public var logMessageText: Bool

    public init(
        reloads: ReloadCoordinator, alerts: AlertHub<Alert>,
        corrections: CorrectionLog? = nil, streams: ConversationStreams = ConversationStreams(), logger: Logger,
        limits: ServiceLimits = ServiceLimits(), logMessageText: Bool = false
    ) {
        self.models = reloads.models
        self.tenants = reloads.store
        self.reloads = reloads
        self.alerts = alerts
        self.corrections = corrections ?? CorrectionLog(layout: reloads.store.layout)
        self.streams = streams
        self.logger = logger
        self.limits = limits
        self.logMessageText = logMessageText
    }
}
