internal import Foundation
internal import Synchronization
public import Tenancy

/// One agent correction, as written to `<tenants_dir>/<tenant>/corrections.jsonl`.
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

/// Appends corrections to each tenant's `corrections.jsonl`, creating the directories as needed.
/// Appends are serialized (one mutex for all tenants: corrections are rare), so lines from
/// concurrent streams never interleave.
public final class CorrectionLog: Sendable {
    public static let fileName = "corrections.jsonl"

    /// `<tenants_dir>`; nil when the server has none (corrections are then refused).
    public let tenantsDirectory: String?
    private let lock = Mutex<Void>(())

    public init(tenantsDirectory: String?) {
        self.tenantsDirectory = tenantsDirectory
    }

    /// The file a tenant's corrections go to.
    public func path(for tenant: TenantID) -> String? {
        tenantsDirectory.map { $0 + "/" + tenant.rawValue + "/" + Self.fileName }
    }

    /// Appends one line; throws ``CorrectionLogError`` with a message a person can act on.
    func append(_ entry: CorrectionEntry) throws(CorrectionLogError) {
        guard let tenantsDirectory, let path = path(for: entry.tenant) else {
            throw CorrectionLogError("this server has no tenants directory configured, so corrections cannot be recorded")
        }
        let directory = tenantsDirectory + "/" + entry.tenant.rawValue
        let bytes = Data(entry.jsonLine.utf8)
        try lock.withLock { _ throws(CorrectionLogError) in
            let files = FileManager.default
            do {
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw CorrectionLogError("cannot create \(directory): \(error.localizedDescription)")
            }
            if !files.fileExists(atPath: path), !files.createFile(atPath: path, contents: nil) {
                throw CorrectionLogError("cannot create \(path)")
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw CorrectionLogError("cannot open \(path) for writing")
            }
            defer { try? handle.close() }
            do {
                try handle.seekToEnd()
                try handle.write(contentsOf: bytes)
            } catch {
                throw CorrectionLogError("cannot append to \(path): \(error.localizedDescription)")
            }
        }
    }
}

struct CorrectionLogError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
