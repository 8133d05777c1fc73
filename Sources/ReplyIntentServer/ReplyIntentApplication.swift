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
internal import TenantStore

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
    /// Every reload trigger of the server (its thread: inotify and the periodic scan; SIGHUP
    /// through ``reload()``; the ReloadModels RPC) goes to it.
    private let reloads: ReloadCoordinator
    /// Agent corrections (`<tenants_dir>/<tenant>/corrections.jsonl`): its writer thread is
    /// flushed, fsynced and stopped on shutdown, after the streams ended.
    let corrections: CorrectionLog
    /// Open StreamConversations calls: alert subscribers never end their streams themselves, so
    /// shutdown ends them (UNAVAILABLE) rather than waiting out the drain timeout.
    private let streams = ConversationStreams()
    private let logger: Logger
    private let stopped = Mutex(false)

    public init(settings: ServerSettings, logger: Logger) throws {
        if let problem = settings.problem { throw SettingsFileError(problem) }
        self.logger = logger

        // Who may call: tokens file, or single-tenant mode.
        let credentials: Authenticator
        if let path = settings.tokensFile {
            // A refused or broken file is a start-up error (its description says why and how to fix it).
            let file = try TokenFile.load(path: path)
            for warning in file.warnings { logger.warning("tokens: \(warning)") }
            credentials = Authenticator(mode: .tokens(file))
        } else {
            credentials = Authenticator(mode: .singleTenant)
        }
        logger.notice("\(credentials.modeDescription)")

        // Models: the shared default must load; tenant models come with the first reload.
        let layout = TenantLayout(tenantsDirectory: settings.tenantsDirectory)
        let defaultModel = settings.defaultModelPath ?? ModelFileIO.defaultModelPath()
        let models = try ModelCache(
            configuration: ModelCacheConfiguration(
                defaultModelPath: defaultModel, openTenantModels: layout.openModels,
                shardCount: settings.modelShards, memoryBudgetBytes: settings.memoryBudgetMB << 20,
                maxFileBytes: settings.maxModelFileMB << 20),
            logger: logger)
        let tenants = try TenantStore(
            layout: layout,
            bundledTemplatesDirectory: settings.templatesDirectory ?? BundledFiles.templatesDirectory(),
            credentials: credentials)
        // Every tenant directory, its files and models, before the server listens.
        reloads = ReloadCoordinator(
            store: tenants, models: models, tokensFile: settings.tokensFile, sharedModelPath: defaultModel,
            scanInterval: .milliseconds(Int64(settings.scanIntervalSeconds * 1000)), logger: logger)

        corrections = CorrectionLog(
            layout: layout,
            settings: CorrectionLogSettings(
                fsyncIntervalMilliseconds: settings.correctionsFsyncIntervalMs,
                maxFileBytes: settings.correctionsMaxFileMB << 20, keepFiles: settings.correctionsKeepFiles),
            logger: logger)

        var limits = ServiceLimits()
        limits.maxTextBytes = settings.maxTextBytes
        limits.maxSubscribersPerConnection = settings.maxSubscribersPerConnection
        let dependencies = ServiceDependencies(
            reloads: reloads,
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

        reloads.start()
    }

    /// Runs the reload procedure now (SIGHUP): tokens (read even when unchanged), tenant files,
    /// models. Returns what changed. Blocks on file I/O: not for an event loop.
    @discardableResult
    public func reload() -> [String] {
        reloads.reload(.signal)
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
        reloads.stop()
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
