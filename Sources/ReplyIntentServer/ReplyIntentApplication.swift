internal import Alerts
internal import Classifier
internal import Foundation
internal import GRPCTransport
internal import InteropService
public import Logging
internal import Messages
internal import ModelCache
internal import Posix
internal import RPC
internal import ReplyIntentService
internal import Synchronization
internal import TLS
internal import Tenancy

/// The whole ReplyIntent server, built from ``ServerSettings``: model cache, tenants, alerts,
/// the services, and the gRPC server listening. `intentd` is a thin shell around it; the tests
/// start it in-process.
public final class ReplyIntentApplication: Sendable {
    /// "h2c 127.0.0.1:50051", "tls 0.0.0.0:50443".
    public let addresses: [String]
    /// The bound ports, h2c first (useful with port 0).
    public let plaintextPort: Int?
    public let tlsPort: Int?

    private let server: GRPCServer
    private let health: HealthStatusRegistry
    private let models: ModelCache
    private let authenticator: Authenticator
    private let tenants: TenantDirectory
    /// Agent corrections (`<tenants_dir>/<tenant>/corrections.jsonl`): its writer thread is
    /// flushed, fsynced and stopped on shutdown, after the streams ended.
    let corrections: CorrectionLog
    /// Open StreamConversations calls: alert subscribers never end their streams themselves, so
    /// shutdown ends them (UNAVAILABLE) rather than waiting out the drain timeout.
    private let streams = ConversationStreams()
    private let tokensFile: String?
    private let tokensState: Mutex<FileStatus?>
    private let reloadLoop: EventLoop
    private let logger: Logger
    private let stopped = Mutex(false)

    /// How often tokens and tenant configuration files are checked for changes (models are
    /// watched by the cache itself, with inotify).
    static let configurationPollInterval: Duration = .seconds(2)

    public init(settings: ServerSettings, logger: Logger) throws {
        if let problem = settings.problem { throw SettingsFileError(problem) }
        self.logger = logger

        // Who may call: tokens file, or single-tenant mode.
        tokensFile = settings.tokensFile
        if let path = settings.tokensFile {
            // A refused or broken file is a start-up error (its description says why and how to fix it).
            let file = try TokenFile.load(path: path)
            for warning in file.warnings { logger.warning("tokens: \(warning)") }
            authenticator = Authenticator(mode: .tokens(file))
            tokensState = Mutex(FileStatus.of(path: path))
        } else {
            authenticator = Authenticator(mode: .singleTenant)
            tokensState = Mutex(nil)
        }
        logger.notice("\(authenticator.modeDescription)")

        // Models: the shared default must load; tenant models are scanned.
        let defaultModel = settings.defaultModelPath ?? ModelFileIO.defaultModelPath()
        models = try ModelCache(
            configuration: ModelCacheConfiguration(
                defaultModelPath: defaultModel, tenantsDirectory: settings.tenantsDirectory,
                shardCount: settings.modelShards, memoryBudgetBytes: settings.memoryBudgetMB << 20,
                scanInterval: .milliseconds(Int64(settings.scanIntervalSeconds * 1000)),
                maxFileBytes: settings.maxModelFileMB << 20),
            logger: logger)
        tenants = try TenantDirectory(
            tenantsDirectory: settings.tenantsDirectory,
            bundledTemplatesDirectory: settings.templatesDirectory ?? BundledFiles.templatesDirectory(),
            logger: logger)

        corrections = CorrectionLog(
            tenantsDirectory: tenants.tenantsDirectory,
            settings: CorrectionLogSettings(
                fsyncIntervalMilliseconds: settings.correctionsFsyncIntervalMs,
                maxFileBytes: settings.correctionsMaxFileMB << 20, keepFiles: settings.correctionsKeepFiles),
            logger: logger)

        var limits = ServiceLimits()
        limits.maxTextBytes = settings.maxTextBytes
        limits.maxSubscribersPerConnection = settings.maxSubscribersPerConnection
        let dependencies = ServiceDependencies(
            models: models, authenticator: authenticator, tenants: tenants,
            alerts: AlertHub<Alert>(
                bufferCapacity: settings.alertBuffer, maxSubscribersPerTenant: settings.maxSubscribersPerTenant),
            corrections: corrections, streams: streams, logger: logger,
            limits: limits,
            logMessageText: settings.logMessageText)

        health = HealthStatusRegistry()
        var router = Router()
        router.register(HealthService(registry: health))
        let service = ReplyIntentService(dependencies)
        router.register(service)
        router.register(service.admin)
        health.setStatus(.serving, for: ReplyIntentService.serviceName)
        health.setStatus(.serving, for: ReplyIntentAdminService.serviceName)
        if settings.testService {
            router.register(TestService())
            health.setStatus(.serving, for: TestService.serviceName)
        }

        server = try GRPCServer(configuration: try Self.transportConfiguration(settings, logger: logger), router: router)
        addresses = server.addresses.map(\.description)
        plaintextPort = server.addresses.first { $0.kind == "h2c" }?.port
        tlsPort = server.addresses.first { $0.kind == "tls" }?.port

        models.startWatching()
        reloadLoop = try EventLoop(name: "config-reload")
        reloadLoop.start()
        reloadLoop.execute { [weak self] in self?.schedulePoll() }  // schedule() is loop-thread only
    }

    /// Rescans models, tokens, policies and templates now (SIGHUP). Returns what changed.
    @discardableResult
    public func reload() -> [String] {
        var changes = models.rescan()
        changes += reloadTokens(force: true)
        changes += tenants.reload()
        return changes
    }

    /// Drains in-flight calls (health turns NOT_SERVING first), then stops every thread.
    public func shutdown() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        health.shutdown()
        streams.shutdown()
        server.shutdown()
        corrections.close()
        models.stopWatching()
        reloadLoop.stop()
        reloadLoop.join()
    }

    private func schedulePoll() {
        let nanoseconds = UInt64(Self.configurationPollInterval.components.seconds) * 1_000_000_000
        _ = reloadLoop.schedule(after: nanoseconds) { [weak self] in
            guard let self else { return }
            for change in reloadTokens(force: false) + tenants.reload() { logger.info("\(change)") }
            schedulePoll()
        }
    }

    /// Reloads the tokens file when it changed (or always, when forced); a change of its mode or
    /// owner counts. A broken or refused file keeps the current tokens and is logged; the
    /// warnings of a loaded one (legacy entries, readable by others) are logged on every load.
    private func reloadTokens(force: Bool) -> [String] {
        guard let path = tokensFile else { return [] }
        let now = FileStatus.of(path: path)
        let changed = tokensState.withLock { state in
            defer { state = now }
            return state != now
        }
        guard changed || force else { return [] }
        do {
            let warnings = try authenticator.reload(tokensFile: path)
            for warning in warnings { logger.warning("tokens: \(warning)") }
            return ["tokens: reloaded \(path): \(authenticator.modeDescription)"]
        } catch {
            logger.error("tokens: kept the previous tokens", metadata: ["error": "\(error)"])
            return ["tokens: kept the previous tokens: \(error)"]
        }
    }

    static func transportConfiguration(_ settings: ServerSettings, logger: Logger? = nil) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let logger {
            configuration.onIncident = { incident in
                logger.warning(
                    "transport: \(incident.detail)",
                    metadata: ["incident": "\(incident.kind.rawValue)", "peer": "\(incident.peer)", "stream": "\(incident.stream)"])
            }
        }
        configuration.threads = settings.threads
        configuration.maxReceiveMessageSize = settings.maxReceiveMessageSize
        configuration.maxConcurrentStreams = settings.maxConcurrentStreams
        configuration.idleTimeout = .milliseconds(Int64(settings.idleTimeoutSeconds * 1000))
        configuration.drainTimeout = .milliseconds(Int64(settings.drainTimeoutSeconds * 1000))
        configuration.maxHeaderListSize = UInt32(settings.maxHeaderListSize)
        configuration.maxConnections = settings.maxConnections
        configuration.maxConnectionsPerPeer = settings.maxConnectionsPerPeer
        configuration.requestTimeout = .seconds(settings.requestTimeoutSeconds)
        configuration.keepaliveTime = .seconds(settings.keepaliveTimeSeconds)
        configuration.keepaliveTimeout = .seconds(settings.keepaliveTimeoutSeconds)
        configuration.maxConnectionAge = .seconds(settings.maxConnectionAgeSeconds)
        configuration.maxConnectionAgeGrace = .seconds(settings.maxConnectionAgeGraceSeconds)
        configuration.maxBufferedRequestBytesPerConnection = settings.maxBufferedRequestBytesPerConnection
        configuration.maxBufferedRequestBytes = settings.maxBufferedRequestBytes
        configuration.outboundHighWaterMark = settings.maxQueuedResponseBytesPerStream
        configuration.maxQueuedResponseBytesPerConnection = settings.maxQueuedResponseBytesPerConnection
        configuration.responseStallTimeout = .seconds(settings.responseStallTimeoutSeconds)
        configuration.maxOffloadedCalls = settings.maxOffloadedCalls
        guard let certificate = settings.certificatePath, let key = settings.privateKeyPath else {
            configuration.plaintext = (settings.host, settings.port)
            return configuration
        }
        let context: TLSContext
        do {
            context = try TLSContext.server(
                certificateFile: certificate, privateKeyFile: key, clientCAFile: settings.clientCAPath,
                requireClientCertificate: settings.requireClientCertificate)
        } catch {
            throw SettingsFileError("cannot load the TLS certificate, key or client CA: \(error)")
        }
        if let tlsPort = settings.tlsPort {
            configuration.plaintext = (settings.host, settings.port)
            configuration.tls = .init(host: settings.host, port: tlsPort, context: context)
        } else {
            configuration.plaintext = nil
            configuration.tls = .init(host: settings.host, port: settings.port, context: context)
        }
        return configuration
    }
}
