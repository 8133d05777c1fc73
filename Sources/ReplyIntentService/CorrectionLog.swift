internal import AppendLog
public import Logging
internal import RPC
public import Tenancy
public import TenantStore

/// One agent correction, as written to the tenant's corrections file (``TenantLayout/correctionsFile(of:)``).
struct CorrectionEntry: Sendable, Equatable {
    var timeUnixMs: Int64
    var tenant: TenantID
    var messageID: String
    var conversationID: String
    var previousIntent: String
    var correctedIntent: String
    var agentID: String

    /// `{"time":"2026-11-21T03:17:05.123Z","tenant":"acme","message_id":...}` and a newline.
    var jsonLine: String {
        var line = JSONLine()
        line.add("time", UnixTime.iso8601(milliseconds: timeUnixMs))
        line.add("tenant", tenant.rawValue)
        line.add("message_id", messageID)
        line.add("conversation_id", conversationID)
        line.add("previous_intent", previousIntent)
        line.add("corrected_intent", correctedIntent)
        line.add("agent_id", agentID)
        return line.line
    }
}

/// How the corrections log syncs, rotates and bounds its queue (`corrections.*` settings).
public struct CorrectionLogSettings: Sendable {
    /// `corrections.fsync_interval_ms`: period of the background fsync; 0 = fsync before each
    /// acknowledgement. A correction is written before it is acknowledged either way (a killed
    /// process loses none); a power loss can lose at most the last interval's corrections.
    public var fsyncIntervalMilliseconds: Int
    /// `corrections.max_file_mb` in bytes: `corrections.jsonl` rotates before it would pass this.
    public var maxFileBytes: Int
    /// `corrections.keep_files`: rotated files kept per tenant.
    public var keepFiles: Int
    /// Corrections accepted but not yet written (all tenants); more are refused (RESOURCE_EXHAUSTED).
    public var maxPendingCorrections: Int

    public init(
        fsyncIntervalMilliseconds: Int = 1000, maxFileBytes: Int = 64 << 20, keepFiles: Int = 5,
        maxPendingCorrections: Int = 10_000
    ) {
        self.fsyncIntervalMilliseconds = fsyncIntervalMilliseconds
        self.maxFileBytes = maxFileBytes
        self.keepFiles = keepFiles
        self.maxPendingCorrections = maxPendingCorrections
    }
}

/// Appends corrections to each tenant's `corrections.jsonl`, creating the directories as needed,
/// through one writer thread (``AppendLog``): one `O_APPEND` write per line, so lines from
/// concurrent streams, and from other intentd processes sharing the tenants directory, never
/// interleave or overwrite each other; ``append(_:)`` returns once the line is written.
/// Rotates to `corrections.1.jsonl` … `corrections.<keep_files>.jsonl` at the size limit.
public final class CorrectionLog: Sendable {
    /// Where each tenant's file is; with no tenants directory, corrections are refused.
    public let layout: TenantLayout
    public let settings: CorrectionLogSettings
    private let log: AppendLog

    /// - Parameter logger: told about background fsync failures (nobody waits for those).
    public init(layout: TenantLayout, settings: CorrectionLogSettings = CorrectionLogSettings(), logger: Logger? = nil) {
        self.layout = layout
        self.settings = settings
        var failure: (@Sendable (AppendLogError) -> Void)?
        if let logger {
            failure = { (error: AppendLogError) in
                logger.error("corrections: a background fsync failed", metadata: ["error": "\(error.description)"])
            }
        }
        log = AppendLog(
            configuration: AppendLogConfiguration(
                fsyncInterval: .milliseconds(settings.fsyncIntervalMilliseconds), maxFileBytes: settings.maxFileBytes,
                keepFiles: settings.keepFiles, maxPendingLines: settings.maxPendingCorrections,
                threadName: "corrections", onBackgroundFailure: failure))
    }

    /// The file a tenant's corrections go to.
    public func path(for tenant: TenantID) -> String? {
        layout.correctionsFile(of: tenant)
    }

    /// Appends one line and returns once it is written (the writer thread does the I/O; the
    /// calling task only suspends). Throws ``CorrectionLogError`` with a message a person can act on.
    func append(_ entry: CorrectionEntry) async throws(CorrectionLogError) {
        guard let path = path(for: entry.tenant) else {
            throw CorrectionLogError(.internal, "this server has no tenants directory configured, so corrections cannot be recorded")
        }
        do {
            try await log.append(Array(entry.jsonLine.utf8), to: path)
        } catch {
            switch error {
            case .queueFull(let limit):
                throw CorrectionLogError(
                    .resourceExhausted,
                    "\(limit) corrections are already waiting to be written (the limit): the disk is not keeping up; retry later")
            case .closed:
                throw CorrectionLogError(.unavailable, "the server is shutting down and no longer records corrections")
            case .system:
                throw CorrectionLogError(.internal, "cannot append to \(path): \(error)")
            }
        }
    }

    /// Corrections accepted and not yet written.
    public var pendingCorrections: Int { log.pendingLines }

    /// Writes what is queued, fsyncs every file and stops the writer; later corrections are
    /// refused (UNAVAILABLE). The server calls it on shutdown, after the streams ended.
    public func close() {
        log.close()
    }
}

struct CorrectionLogError: Error, CustomStringConvertible {
    /// The status the stream's item error carries.
    let code: Status.Code
    let description: String

    init(_ code: Status.Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
