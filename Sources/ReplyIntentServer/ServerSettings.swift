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
    /// `server.max_header_list_size`: largest request header block (bytes, HPACK-decoded, RFC 9113
    /// accounting); bigger → RESOURCE_EXHAUSTED.
    public var maxHeaderListSize = 16 * 1024
    /// `server.max_connections`: open connections per process; more are closed at accept.
    public var maxConnections = 4096
    /// `server.max_connections_per_peer`: open connections per client IP address.
    public var maxConnectionsPerPeer = 256
    /// `server.request_timeout_seconds`: time from a unary request's HEADERS to its END_STREAM.
    public var requestTimeoutSeconds = 30.0
    /// `server.keepalive_time_seconds`: a PING is sent after this long without a frame from the peer.
    public var keepaliveTimeSeconds = 60.0
    /// `server.keepalive_timeout_seconds`: no frame (the PING ACK) within this long closes the connection.
    public var keepaliveTimeoutSeconds = 20.0
    /// `server.max_connection_age_seconds`: connections older than this (±10 % jitter) get a graceful GOAWAY.
    public var maxConnectionAgeSeconds = 7200.0
    /// `server.max_connection_age_grace_seconds`: after that GOAWAY, calls still open get this long.
    public var maxConnectionAgeGraceSeconds = 30.0
    /// `server.max_buffered_request_bytes_per_connection`: unfinished or unread request bytes one
    /// connection may hold; the stream that goes over gets RESOURCE_EXHAUSTED.
    public var maxBufferedRequestBytesPerConnection = 32 << 20
    /// `server.max_buffered_request_bytes`: the same, for the whole process.
    public var maxBufferedRequestBytes = 256 << 20
    /// `server.max_queued_response_bytes_per_stream`: a streaming handler waits above it.
    public var maxQueuedResponseBytesPerStream = 256 << 10
    /// `server.max_queued_response_bytes_per_connection`: every writer on the connection waits above it.
    public var maxQueuedResponseBytesPerConnection = 4 << 20
    /// `server.response_stall_timeout_seconds`: a client that takes none of its queued responses
    /// for this long has the stream ended with RESOURCE_EXHAUSTED.
    public var responseStallTimeoutSeconds = 30.0
    /// `server.max_offloaded_calls`: unary calls waiting off the event loops (for a model load,
    /// a tenant's first read) at once; more get UNAVAILABLE.
    public var maxOffloadedCalls = 256

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
    /// `models.max_file_size_mb`: a model file larger than this is refused before it is read.
    public var maxModelFileMB = 256

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
    /// `alerts.max_subscribers_per_tenant`: open alert subscriptions per tenant; more get RESOURCE_EXHAUSTED.
    public var maxSubscribersPerTenant = 256
    /// `alerts.max_subscribers_per_connection`: open alert subscriptions per client connection.
    public var maxSubscribersPerConnection = 16

    // corrections
    /// `corrections.fsync_interval_ms`: how often appended corrections are fsynced; 0 = before each
    /// acknowledgement. (A correction is written before it is acknowledged either way, so a killed
    /// process loses none; the interval bounds what a power loss can take.)
    public var correctionsFsyncIntervalMs = 1000
    /// `corrections.max_file_mb`: `corrections.jsonl` is rotated to `corrections.1.jsonl` beyond it.
    public var correctionsMaxFileMB = 64
    /// `corrections.keep_files`: rotated files kept per tenant (the oldest is deleted).
    public var correctionsKeepFiles = 5

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
    /// The longest timeout or interval, in seconds (about 31 years): longer ones do not fit the
    /// transport's nanosecond clocks (a 1e300-second idle timeout crashed the conversion).
    public static let maxDurationSeconds: Double = 1_000_000_000

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
        let durations = [
            idleTimeoutSeconds, drainTimeoutSeconds, scanIntervalSeconds, requestTimeoutSeconds, keepaliveTimeSeconds,
            keepaliveTimeoutSeconds, maxConnectionAgeSeconds, maxConnectionAgeGraceSeconds, responseStallTimeoutSeconds,
        ]
        if !durations.allSatisfy({ $0 <= Self.maxDurationSeconds }) {
            return "timeouts and intervals must be at most \(Int(Self.maxDurationSeconds)) seconds (about 31 years)"
        }
        if maxConnections < 1 || maxConnectionsPerPeer < 1 {
            return "server.max_connections and server.max_connections_per_peer must be at least 1"
        }
        if !(requestTimeoutSeconds > 0) || !(keepaliveTimeSeconds > 0) || !(keepaliveTimeoutSeconds > 0)
            || !(maxConnectionAgeSeconds > 0) || !(maxConnectionAgeGraceSeconds >= 0) || !(responseStallTimeoutSeconds > 0)
        {
            return "server timeouts (request, keepalive, connection age, response stall) must be positive"
        }
        if maxBufferedRequestBytesPerConnection < maxReceiveMessageSize {
            return "server.max_buffered_request_bytes_per_connection (\(maxBufferedRequestBytesPerConnection)) must be at least"
                + " server.max_receive_message_size (\(maxReceiveMessageSize)), or no request of the largest size could arrive"
        }
        if maxBufferedRequestBytes < maxBufferedRequestBytesPerConnection {
            return "server.max_buffered_request_bytes must be at least server.max_buffered_request_bytes_per_connection"
        }
        if maxQueuedResponseBytesPerStream < 16 << 10 || maxQueuedResponseBytesPerConnection < maxQueuedResponseBytesPerStream {
            return "server.max_queued_response_bytes_per_stream must be at least 16384 and at most"
                + " server.max_queued_response_bytes_per_connection"
        }
        if maxOffloadedCalls < 1 { return "server.max_offloaded_calls must be at least 1" }
        if maxModelFileMB < 1 { return "models.max_file_size_mb must be at least 1" }
        if maxSubscribersPerTenant < 1 || maxSubscribersPerConnection < 1 {
            return "alerts.max_subscribers_per_tenant and alerts.max_subscribers_per_connection must be at least 1"
        }
        if correctionsFsyncIntervalMs < 0 { return "corrections.fsync_interval_ms must be 0 (every append) or more" }
        if correctionsMaxFileMB < 1 || correctionsKeepFiles < 1 {
            return "corrections.max_file_mb and corrections.keep_files must be at least 1"
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
