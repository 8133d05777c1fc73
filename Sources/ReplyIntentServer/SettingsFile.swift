internal import Foundation
internal import YAMLSupport
internal import Yams

/// A configuration file that cannot be used, with the key and what is wrong with it.
public struct SettingsFileError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension ServerSettings {
    /// Reads `path` over the defaults. Unknown sections and keys are errors (a typo is never
    /// silently ignored).
    public static func load(path: String) throws(SettingsFileError) -> ServerSettings {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SettingsFileError("\(path): cannot read: \(error.localizedDescription)")
        }
        var settings = ServerSettings()
        do {
            try settings.apply(yaml: text)
        } catch {
            throw SettingsFileError("\(path): \(error.description)")
        }
        return settings
    }

    /// Applies the keys present in `yaml`, leaving the others as they are.
    public mutating func apply(yaml: String) throws(SettingsFileError) {
        let root: Node.Mapping
        do {
            root = try YAMLDocument.rootMapping(yaml)  // an empty file keeps the defaults
        } catch {
            switch error.kind {
            case .syntax(let summary): throw SettingsFileError("not valid YAML: \(summary)\(Self.onLine(error.line))")
            default: throw SettingsFileError("the file must be a mapping of keys to values")
            }
        }
        let file = SettingsSection(mapping: root, path: "")
        try file.allow(["listen", "tls", "server", "models", "tenants", "limits", "alerts", "corrections", "logging"])
        if let listen = try file.section("listen") {
            try listen.allow(["host", "port", "tls_port"])
            host = try listen.string("host") ?? host
            port = try listen.int("port", in: 0...65535) ?? port
            tlsPort = try listen.int("tls_port", in: 0...65535) ?? tlsPort
        }
        if let tls = try file.section("tls") {
            try tls.allow(["certificate", "private_key", "client_ca", "require_client_certificate"])
            certificatePath = try tls.string("certificate") ?? certificatePath
            privateKeyPath = try tls.string("private_key") ?? privateKeyPath
            clientCAPath = try tls.string("client_ca") ?? clientCAPath
            requireClientCertificate = try tls.bool("require_client_certificate") ?? requireClientCertificate
        }
        if let server = try file.section("server") {
            try server.allow([
                "threads", "max_receive_message_size", "max_concurrent_streams", "idle_timeout_seconds",
                "drain_timeout_seconds", "test_service", "max_header_list_size", "max_connections",
                "max_connections_per_peer", "request_timeout_seconds", "keepalive_time_seconds",
                "keepalive_timeout_seconds", "max_connection_age_seconds", "max_connection_age_grace_seconds",
                "max_buffered_request_bytes_per_connection", "max_buffered_request_bytes",
                "max_queued_response_bytes_per_stream", "max_queued_response_bytes_per_connection",
                "response_stall_timeout_seconds", "max_offloaded_calls",
            ])
            threads = try server.int("threads", in: 0...1024) ?? threads
            maxReceiveMessageSize = try server.int("max_receive_message_size", in: 0...(1 << 30)) ?? maxReceiveMessageSize
            maxConcurrentStreams = try server.int("max_concurrent_streams", in: 1...100_000).map(UInt32.init)
                ?? maxConcurrentStreams
            idleTimeoutSeconds = try server.double("idle_timeout_seconds", positive: true) ?? idleTimeoutSeconds
            drainTimeoutSeconds = try server.double("drain_timeout_seconds", positive: false) ?? drainTimeoutSeconds
            testService = try server.bool("test_service") ?? testService
            maxHeaderListSize = try server.int("max_header_list_size", in: 1024...(1 << 20)) ?? maxHeaderListSize
            maxConnections = try server.int("max_connections", in: 1...1_000_000) ?? maxConnections
            maxConnectionsPerPeer = try server.int("max_connections_per_peer", in: 1...1_000_000) ?? maxConnectionsPerPeer
            requestTimeoutSeconds = try server.double("request_timeout_seconds", positive: true) ?? requestTimeoutSeconds
            keepaliveTimeSeconds = try server.double("keepalive_time_seconds", positive: true) ?? keepaliveTimeSeconds
            keepaliveTimeoutSeconds = try server.double("keepalive_timeout_seconds", positive: true) ?? keepaliveTimeoutSeconds
            maxConnectionAgeSeconds = try server.double("max_connection_age_seconds", positive: true)
                ?? maxConnectionAgeSeconds
            maxConnectionAgeGraceSeconds = try server.double("max_connection_age_grace_seconds", positive: false)
                ?? maxConnectionAgeGraceSeconds
            maxBufferedRequestBytesPerConnection = try server.int(
                "max_buffered_request_bytes_per_connection", in: 1024...(1 << 40)) ?? maxBufferedRequestBytesPerConnection
            maxBufferedRequestBytes = try server.int("max_buffered_request_bytes", in: 1024...(1 << 40))
                ?? maxBufferedRequestBytes
            maxQueuedResponseBytesPerStream = try server.int(
                "max_queued_response_bytes_per_stream", in: 16384...(1 << 30)) ?? maxQueuedResponseBytesPerStream
            maxQueuedResponseBytesPerConnection = try server.int(
                "max_queued_response_bytes_per_connection", in: 16384...(1 << 34)) ?? maxQueuedResponseBytesPerConnection
            responseStallTimeoutSeconds = try server.double("response_stall_timeout_seconds", positive: true)
                ?? responseStallTimeoutSeconds
            maxOffloadedCalls = try server.int("max_offloaded_calls", in: 1...100_000) ?? maxOffloadedCalls
        }
        if let models = try file.section("models") {
            try models.allow(["default_model", "memory_budget_mb", "shards", "scan_interval_seconds", "max_file_size_mb"])
            defaultModelPath = try models.string("default_model") ?? defaultModelPath
            memoryBudgetMB = try models.int("memory_budget_mb", in: 1...(1 << 22)) ?? memoryBudgetMB
            modelShards = try models.int("shards", in: 1...1024) ?? modelShards
            scanIntervalSeconds = try models.double("scan_interval_seconds", positive: true) ?? scanIntervalSeconds
            maxModelFileMB = try models.int("max_file_size_mb", in: 1...(1 << 16)) ?? maxModelFileMB
        }
        if let tenants = try file.section("tenants") {
            try tenants.allow(["directory", "tokens_file", "templates_dir"])
            tenantsDirectory = try tenants.string("directory") ?? tenantsDirectory
            tokensFile = try tenants.string("tokens_file") ?? tokensFile
            templatesDirectory = try tenants.string("templates_dir") ?? templatesDirectory
        }
        if let limits = try file.section("limits") {
            try limits.allow(["max_text_bytes"])
            maxTextBytes = try limits.int("max_text_bytes", in: 1...(1 << 24)) ?? maxTextBytes
        }
        if let alerts = try file.section("alerts") {
            try alerts.allow(["buffer", "max_subscribers_per_tenant", "max_subscribers_per_connection"])
            alertBuffer = try alerts.int("buffer", in: 1...1_000_000) ?? alertBuffer
            maxSubscribersPerTenant = try alerts.int("max_subscribers_per_tenant", in: 1...1_000_000) ?? maxSubscribersPerTenant
            maxSubscribersPerConnection = try alerts.int("max_subscribers_per_connection", in: 1...100_000)
                ?? maxSubscribersPerConnection
        }
        if let corrections = try file.section("corrections") {
            try corrections.allow(["fsync_interval_ms", "max_file_mb", "keep_files"])
            correctionsFsyncIntervalMs = try corrections.int("fsync_interval_ms", in: 0...3_600_000) ?? correctionsFsyncIntervalMs
            correctionsMaxFileMB = try corrections.int("max_file_mb", in: 1...(1 << 20)) ?? correctionsMaxFileMB
            correctionsKeepFiles = try corrections.int("keep_files", in: 1...1000) ?? correctionsKeepFiles
        }
        if let logging = try file.section("logging") {
            try logging.allow(["level", "format", "log_message_text"])
            logLevel = try logging.string("level", oneOf: LogSetup.levelNames) ?? logLevel
            logFormat = try logging.string("format", oneOf: ["text", "json"]) ?? logFormat
            logMessageText = try logging.bool("log_message_text") ?? logMessageText
        }
    }
}

extension ServerSettings {
    static func onLine(_ line: Int?) -> String { line.map { " (line \($0))" } ?? "" }
}

/// One mapping of the file, read key by key with errors that name `section.key`.
private struct SettingsSection {
    let mapping: Node.Mapping
    let path: String

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func allow(_ keys: [String]) throws(SettingsFileError) {
        do {
            _ = try YAMLDocument.entries(of: mapping, allowed: keys)
        } catch {
            let line = ServerSettings.onLine(error.line)
            switch error.kind {
            case .unknownKey(let key, let allowed):
                throw SettingsFileError("unknown key '\(name(key))'\(line) (known: \(allowed.sorted().joined(separator: ", ")))")
            case .duplicateKey(let key): throw SettingsFileError("'\(name(key))' appears twice\(line)")
            default: throw SettingsFileError("\(path.isEmpty ? "the file" : path): keys must be plain strings\(line)")
            }
        }
    }

    func section(_ key: String) throws(SettingsFileError) -> SettingsSection? {
        guard let node = mapping[key], !YAMLDocument.isNull(node) else { return nil }
        guard let inner = node.mapping else {
            throw SettingsFileError("\(name(key)) must be a mapping of keys to values")
        }
        return SettingsSection(mapping: inner, path: name(key))
    }

    private func scalar(_ key: String) throws(SettingsFileError) -> String? {
        guard let node = mapping[key] else { return nil }
        if YAMLDocument.isNull(node) { return nil }  // `key:` with no value, or `~`: not set
        guard let scalar = node.scalar else { throw SettingsFileError("\(name(key)) must be a single value") }
        return scalar.string
    }

    func string(_ key: String, oneOf allowed: [String]? = nil) throws(SettingsFileError) -> String? {
        guard let value = try scalar(key) else { return nil }
        if let allowed, !allowed.contains(value) {
            throw SettingsFileError("\(name(key)) is '\(value)'; expected one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(SettingsFileError) -> Int? {
        guard let value = try scalar(key) else { return nil }
        guard let number = Int(value.replacingOccurrences(of: "_", with: "")) else {
            throw SettingsFileError("\(name(key)) must be a whole number, not '\(value)'")
        }
        guard range.contains(number) else {
            throw SettingsFileError("\(name(key)) is \(number); it must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func double(_ key: String, positive: Bool) throws(SettingsFileError) -> Double? {
        guard let value = try scalar(key) else { return nil }
        guard let number = Double(value), number.isFinite else {
            throw SettingsFileError("\(name(key)) must be a number of seconds, not '\(value)'")
        }
        guard positive ? number > 0 : number >= 0 else {
            throw SettingsFileError("\(name(key)) is \(value); it must be \(positive ? "above" : "at least") 0")
        }
        guard number <= ServerSettings.maxDurationSeconds else {
            throw SettingsFileError(
                "\(name(key)) is \(value) seconds; it must be at most \(Int(ServerSettings.maxDurationSeconds)) (about 31 years)")
        }
        return number
    }

    func bool(_ key: String) throws(SettingsFileError) -> Bool? {
        guard let value = try scalar(key) else { return nil }
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw SettingsFileError("\(name(key)) must be true or false, not '\(value)'")
        }
    }
}
