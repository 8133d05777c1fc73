internal import ArgumentParser
internal import Logging
internal import Posix
internal import ReplyIntentServer

/// `intentd`: the ReplyIntent server. Reads the configuration file, applies the flags over it,
/// serves until SIGTERM or SIGINT (then drains), and reloads models, tokens, policies and
/// templates on SIGHUP.
struct IntentD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intentd",
        abstract: "The ReplyIntent gRPC server (HTTP/2 over nghttp2; h2c and TLS).",
        discussion: """
            Settings come from --config (YAML; every key is listed in Config/intentd.example.yaml), then from
            these flags, which override the file. Prints one line per listening address once ready.
            SIGHUP rescans models, tokens, policies and templates; SIGTERM/SIGINT drain and stop.
            Without a tokens file the server runs in single-tenant mode (every caller is tenant "default").
            """)

    @Option(help: "YAML configuration file.")
    var config: String?

    @Option(help: "Address to listen on (listen.host).")
    var host: String?
    @Option(help: "h2c port, or TLS when a certificate is set without --tls-port; 0 = any (listen.port).")
    var port: Int?
    @Option(name: .customLong("tls-port"), help: "TLS port in addition to the h2c port (listen.tls_port).")
    var tlsPort: Int?
    @Option(name: [.customLong("cert"), .customLong("tls-cert")], help: "PEM certificate chain (tls.certificate).")
    var cert: String?
    @Option(name: [.customLong("key"), .customLong("tls-key")], help: "PEM private key (tls.private_key).")
    var key: String?
    @Option(name: .customLong("client-ca"), help: "PEM CA for client certificates, enabling mutual TLS (tls.client_ca).")
    var clientCA: String?
    @Flag(name: .customLong("require-client-cert"), help: "Refuse TLS clients without a certificate (tls.require_client_certificate).")
    var requireClientCert = false

    @Option(help: "Event-loop threads; 0 = one per core (server.threads).")
    var threads: Int?
    @Option(name: .customLong("max-receive-message-size"), help: "Largest request message in bytes; 4 MiB, or 16 MiB with --test-service (server.max_receive_message_size).")
    var maxReceiveMessageSize: Int?
    @Option(name: .customLong("max-concurrent-streams"), help: "HTTP/2 streams per connection (server.max_concurrent_streams).")
    var maxConcurrentStreams: UInt32?
    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle connection closes (server.idle_timeout_seconds).")
    var idleTimeout: Double?
    @Option(name: .customLong("drain-timeout"), help: "Seconds in-flight calls get on shutdown (server.drain_timeout_seconds).")
    var drainTimeout: Double?
    @Flag(name: .customLong("test-service"), help: "Also serve grpc.testing.TestService, the interop service (server.test_service).")
    var testService = false
    @Option(name: .customLong("max-header-list-size"), help: "Largest request header block in bytes (server.max_header_list_size).")
    var maxHeaderListSize: Int?
    @Option(name: .customLong("max-connections"), help: "Open connections per process (server.max_connections).")
    var maxConnections: Int?
    @Option(name: .customLong("max-connections-per-peer"), help: "Open connections per client IP address (server.max_connections_per_peer).")
    var maxConnectionsPerPeer: Int?
    @Option(name: .customLong("request-timeout"), help: "Seconds a unary request may take to arrive whole (server.request_timeout_seconds).")
    var requestTimeout: Double?
    @Option(name: .customLong("keepalive-time"), help: "Seconds of silence before the server PINGs (server.keepalive_time_seconds).")
    var keepaliveTime: Double?
    @Option(name: .customLong("keepalive-timeout"), help: "Seconds to wait for the PING ACK (server.keepalive_timeout_seconds).")
    var keepaliveTimeout: Double?
    @Option(name: .customLong("max-connection-age"), help: "Seconds before a connection gets a graceful GOAWAY (server.max_connection_age_seconds).")
    var maxConnectionAge: Double?
    @Option(name: .customLong("max-connection-age-grace"), help: "Seconds open calls get after that GOAWAY (server.max_connection_age_grace_seconds).")
    var maxConnectionAgeGrace: Double?
    @Option(name: .customLong("max-buffered-request-bytes-per-connection"), help: "Unfinished or unread request bytes per connection (server.max_buffered_request_bytes_per_connection).")
    var maxBufferedRequestBytesPerConnection: Int?
    @Option(name: .customLong("max-buffered-request-bytes"), help: "Unfinished or unread request bytes of the whole server (server.max_buffered_request_bytes).")
    var maxBufferedRequestBytes: Int?
    @Option(name: .customLong("max-queued-response-bytes-per-stream"), help: "Queued response bytes a streaming handler may have (server.max_queued_response_bytes_per_stream).")
    var maxQueuedResponseBytesPerStream: Int?
    @Option(name: .customLong("max-queued-response-bytes-per-connection"), help: "Queued response bytes of one connection (server.max_queued_response_bytes_per_connection).")
    var maxQueuedResponseBytesPerConnection: Int?
    @Option(name: .customLong("max-offloaded-calls"), help: "Unary calls waiting off the event loops at once (server.max_offloaded_calls).")
    var maxOffloadedCalls: Int?
    @Option(name: .customLong("response-stall-timeout"), help: "Seconds a client may read none of its responses (server.response_stall_timeout_seconds).")
    var responseStallTimeout: Double?

    @Option(name: [.customLong("model"), .customLong("default-model")], help: "The shared default model file (models.default_model).")
    var model: String?
    @Option(name: .customLong("memory-budget-mb"), help: "Model cache memory budget in MiB (models.memory_budget_mb).")
    var memoryBudgetMB: Int?
    @Option(name: .customLong("scan-interval"), help: "Seconds between full model rescans (models.scan_interval_seconds).")
    var scanInterval: Double?
    @Option(name: .customLong("max-model-file-mb"), help: "Largest model file in MiB, refused before it is read (models.max_file_size_mb).")
    var maxModelFileMB: Int?

    @Option(name: .customLong("tenants-dir"), help: "Per-tenant folders: policy, templates, models (tenants.directory).")
    var tenantsDir: String?
    @Option(name: .customLong("tokens-file"), help: "Bearer tokens per tenant as salted HMAC-SHA256 codes from `intentctl token hash`; mode 600, owned by this user or root (tenants.tokens_file).")
    var tokensFile: String?
    @Option(name: .customLong("templates-dir"), help: "Bundled default reply templates (tenants.templates_dir).")
    var templatesDir: String?

    @Option(name: .customLong("max-text-bytes"), help: "Longest message text accepted, in bytes (limits.max_text_bytes).")
    var maxTextBytes: Int?
    @Option(name: .customLong("alert-buffer"), help: "Alerts kept per tenant for resuming subscribers (alerts.buffer).")
    var alertBuffer: Int?
    @Option(name: .customLong("max-subscribers-per-tenant"), help: "Open alert subscriptions per tenant (alerts.max_subscribers_per_tenant).")
    var maxSubscribersPerTenant: Int?
    @Option(name: .customLong("max-subscribers-per-connection"), help: "Open alert subscriptions per connection (alerts.max_subscribers_per_connection).")
    var maxSubscribersPerConnection: Int?
    @Option(name: .customLong("corrections-fsync-interval-ms"), help: "fsync period of the corrections log; 0 = before each acknowledgement (corrections.fsync_interval_ms).")
    var correctionsFsyncIntervalMs: Int?
    @Option(name: .customLong("corrections-max-file-mb"), help: "Size at which corrections.jsonl rotates (corrections.max_file_mb).")
    var correctionsMaxFileMB: Int?
    @Option(name: .customLong("corrections-keep-files"), help: "Rotated corrections files kept per tenant (corrections.keep_files).")
    var correctionsKeepFiles: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (logging.level).")
    var logLevel: String?
    @Option(name: .customLong("log-format"), help: "text (logfmt) or json (logging.format).")
    var logFormat: String?
    @Flag(name: .customLong("log-message-text"), help: "Include buyers' message text in logs (logging.log_message_text).")
    var logMessageText = false

    /// The file's settings with the flags applied over them.
    func settings() throws -> ServerSettings {
        var settings = ServerSettings()
        if let config {
            do {
                settings = try ServerSettings.load(path: config)
            } catch {
                throw ValidationError("configuration: \(error.description)")
            }
        }
        if let host { settings.host = host }
        if let port { settings.port = port }
        if let tlsPort { settings.tlsPort = tlsPort }
        if let cert { settings.certificatePath = cert }
        if let key { settings.privateKeyPath = key }
        if let clientCA { settings.clientCAPath = clientCA }
        if requireClientCert { settings.requireClientCertificate = true }
        if let threads { settings.threads = threads }
        if let maxReceiveMessageSize { settings.maxReceiveMessageSize = maxReceiveMessageSize }
        if let maxConcurrentStreams { settings.maxConcurrentStreams = maxConcurrentStreams }
        if let idleTimeout { settings.idleTimeoutSeconds = idleTimeout }
        if let drainTimeout { settings.drainTimeoutSeconds = drainTimeout }
        if testService { settings.testService = true }
        if let maxHeaderListSize { settings.maxHeaderListSize = maxHeaderListSize }
        if let maxConnections { settings.maxConnections = maxConnections }
        if let maxConnectionsPerPeer { settings.maxConnectionsPerPeer = maxConnectionsPerPeer }
        if let requestTimeout { settings.requestTimeoutSeconds = requestTimeout }
        if let keepaliveTime { settings.keepaliveTimeSeconds = keepaliveTime }
        if let keepaliveTimeout { settings.keepaliveTimeoutSeconds = keepaliveTimeout }
        if let maxConnectionAge { settings.maxConnectionAgeSeconds = maxConnectionAge }
        if let maxConnectionAgeGrace { settings.maxConnectionAgeGraceSeconds = maxConnectionAgeGrace }
        if let responseStallTimeout { settings.responseStallTimeoutSeconds = responseStallTimeout }
        if let maxBufferedRequestBytesPerConnection {
            settings.maxBufferedRequestBytesPerConnection = maxBufferedRequestBytesPerConnection
        }
        if let maxBufferedRequestBytes { settings.maxBufferedRequestBytes = maxBufferedRequestBytes }
        if let maxQueuedResponseBytesPerStream { settings.maxQueuedResponseBytesPerStream = maxQueuedResponseBytesPerStream }
        if let maxQueuedResponseBytesPerConnection {
            settings.maxQueuedResponseBytesPerConnection = maxQueuedResponseBytesPerConnection
        }
        if let maxOffloadedCalls { settings.maxOffloadedCalls = maxOffloadedCalls }
        // The interop suite sends 16 MiB messages; keep the 4 MiB default otherwise.
        if settings.testService && maxReceiveMessageSize == nil && settings.maxReceiveMessageSize == ServerSettings().maxReceiveMessageSize {
            settings.maxReceiveMessageSize = 16 << 20
        }
        if let model { settings.defaultModelPath = model }
        if let memoryBudgetMB { settings.memoryBudgetMB = memoryBudgetMB }
        if let scanInterval { settings.scanIntervalSeconds = scanInterval }
        if let maxModelFileMB { settings.maxModelFileMB = maxModelFileMB }
        if let tenantsDir { settings.tenantsDirectory = tenantsDir }
        if let tokensFile { settings.tokensFile = tokensFile }
        if let templatesDir { settings.templatesDirectory = templatesDir }
        if let maxTextBytes { settings.maxTextBytes = maxTextBytes }
        if let alertBuffer { settings.alertBuffer = alertBuffer }
        if let maxSubscribersPerTenant { settings.maxSubscribersPerTenant = maxSubscribersPerTenant }
        if let maxSubscribersPerConnection { settings.maxSubscribersPerConnection = maxSubscribersPerConnection }
        if let correctionsFsyncIntervalMs { settings.correctionsFsyncIntervalMs = correctionsFsyncIntervalMs }
        if let correctionsMaxFileMB { settings.correctionsMaxFileMB = correctionsMaxFileMB }
        if let correctionsKeepFiles { settings.correctionsKeepFiles = correctionsKeepFiles }
        if let logLevel { settings.logLevel = logLevel }
        if let logFormat { settings.logFormat = logFormat }
        if logMessageText { settings.logMessageText = true }
        if let problem = settings.problem { throw ValidationError(problem) }
        return settings
    }

    func run() throws {
        let settings = try settings()
        // Block the signals before any thread starts so every thread inherits the mask and only
        // Signals.wait below receives them.
        Signals.block([Signals.interrupt, Signals.terminate, Signals.hangup])
        LogSetup.bootstrap(level: settings.logLevel, format: settings.logFormat)
        let logger = Logger(label: "intentd")

        let application: ReplyIntentApplication
        do {
            application = try ReplyIntentApplication(settings: settings, logger: logger)
        } catch {
            Output.error("intentd: cannot start: \(error)")
            throw ExitCode(1)
        }
        for address in application.addresses {
            Output.line("intentd listening on \(address)")
        }
        while true {
            let signal = Signals.wait([Signals.interrupt, Signals.terminate, Signals.hangup])
            if signal == Signals.hangup {
                let changes = application.reload()
                logger.notice("SIGHUP: reloaded", metadata: ["changes": "\(changes.count)"])
                for change in changes { logger.info("\(change)") }
                continue
            }
            Output.line("intentd: received signal \(signal), draining (up to \(settings.drainTimeoutSeconds) s)")
            application.shutdown()
            Output.line("intentd: stopped")
            return
        }
    }
}
