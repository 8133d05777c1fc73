/// Everything `intentd` can be told, from the configuration file and then the flags.
///
/// Each field's doc names its key in the YAML file (see `Config/intentd.example.yaml`, which
/// lists every key with its default). Paths are relative to the directory `intentd` runs in.
public struct ServerSettings: Sendable, Equatable {
    // listen
    /// `listen.host`: the address both listeners bind.
    public var host = "0.0.0.0"
    /// `listen.port`: h2c (cleartext HTTP/2) port; TLS instead when a certificate is set and
    /// `listen.tls_port` is not. 0 picks a free port.
    public var port = 50051
    /// `listen.tls_port`: a TLS port in addition to the h2c one.
    public var tlsPort: Int?

    // tls
    /// `tls.certificate`: PEM certificate chain.
    public var certificatePath: String?
    /// `tls.private_key`: PEM private key.
    public var privateKeyPath: String?
    /// `tls.client_ca`: PEM CA bundle; when set, clients may present a certificate (mutual TLS),
    /// which `tls.client_certificates` in the tokens file maps to a tenant.
    public var clientCAPath: String?
    /// `tls.require_client_certificate`: refuse TLS clients without a verified certificate.
    public var requireClientCertificate = false

    // server
    /// `server.threads`: event loops; 0 = one per core.
    public var threads = 0
    /// `server.max_receive_message_size`: largest request message in bytes.
    public var maxReceiveMessageSize = 4 << 20
    /// `server.max_concurrent_streams`: HTTP/2 streams per connection.
    public var maxConcurrentStreams: UInt32 = 100
    /// `server.idle_timeout_seconds`: connections without streams close after this long.
    public var idleTimeoutSeconds = 300.0
    /// `server.drain_timeout_seconds`: on SIGTERM, how long in-flight calls get to finish.
    public var drainTimeoutSeconds = 30.0
    /// `server.test_service`: also serve grpc.testing.TestService (the interop suite).
    public var testService = false

    // models
    /// `models.default_model`: the shared default model file. nil = the usual lookup
    /// (`$REPLYINTENT_MODEL`, `models/default.rimodel`, next to the executable).
    public var defaultModelPath: String?
    /// `models.memory_budget_mb`: models beyond it are evicted, least recently used first.
    public var memoryBudgetMB = 4096
    /// `models.shards`: lock shards of the model cache.
    public var modelShards = 16
    /// `models.scan_interval_seconds`: full rescan period (inotify notices most changes sooner).
    public var scanIntervalSeconds = 10.0

    // tenants
    /// `tenants.directory`: one folder per tenant: `policy.yaml`, `templates/`, `models/`,
    /// `corrections.jsonl`.
    public var tenantsDirectory = "tenants"
    /// `tenants.tokens_file`: bearer tokens (SHA-256 hex) per tenant. nil = single-tenant mode.
    public var tokensFile: String?
    /// `tenants.templates_dir`: the bundled default reply templates (`<lang>.yaml`).
    public var templatesDirectory: String?

    // limits
    /// `limits.max_text_bytes`: longest message text accepted (UTF-8 bytes).
    public var maxTextBytes = 16 * 1024
    /// `alerts.buffer`: alerts kept per tenant for subscribers that resume.
    public var alertBuffer = 1024

    // logging
    /// `logging.level`: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"
    /// `logging.format`: `text` (logfmt) or `json`.
    public var logFormat = "text"
    /// `logging.log_message_text`: include buyers' message text in logs (off: never).
    public var logMessageText = false

    public init() {}
}

extension ServerSettings {
    /// What is wrong with a combination of settings, for a person to fix; nil when usable.
    public var problem: String? {
        if (certificatePath == nil) != (privateKeyPath == nil) {
            return "tls.certificate (--cert) and tls.private_key (--key) must be given together"
        }
        if tlsPort != nil && certificatePath == nil { return "listen.tls_port (--tls-port) needs a certificate and key" }
        if clientCAPath != nil && certificatePath == nil { return "tls.client_ca (--client-ca) needs a certificate and key" }
        if requireClientCertificate && clientCAPath == nil {
            return "tls.require_client_certificate needs tls.client_ca (--client-ca)"
        }
        if threads < 0 { return "server.threads (--threads) must be 0 (one per core) or more" }
        if maxReceiveMessageSize < 0 { return "server.max_receive_message_size must be >= 0" }
        if maxConcurrentStreams < 1 { return "server.max_concurrent_streams must be at least 1" }
        if !(idleTimeoutSeconds > 0) || !(drainTimeoutSeconds >= 0) || !(scanIntervalSeconds > 0) {
            return "timeouts and intervals must be positive"
        }
        if memoryBudgetMB < 1 { return "models.memory_budget_mb must be at least 1" }
        if maxTextBytes < 1 { return "limits.max_text_bytes must be at least 1" }
        if alertBuffer < 1 { return "alerts.buffer must be at least 1" }
        if !LogSetup.levelNames.contains(logLevel) {
            return "logging.level '\(logLevel)' is not one of \(LogSetup.levelNames.joined(separator: ", "))"
        }
        if logFormat != "text" && logFormat != "json" { return "logging.format must be text or json" }
        return nil
    }
}
