import Logging
import Synchronization

/// Keeps the server's log lines at info and above (model changes, failures), not the per-call
/// debug lines, so a failing test can show what the model cache did.
final class ReloadLog: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "reload-test") { _ in Handler(log: self) }
        logger.logLevel = .info
        return logger
    }

    var all: [String] { lines.withLock { $0 } }

    /// The last `count` lines, for failure messages.
    func tail(_ count: Int = 20) -> String { all.suffix(count).joined(separator: "\n") }

    private struct Handler: LogHandler {
        let log: ReloadLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var line = "\(event.level) \(event.message)"
            if let error = event.metadata?["error"] { line += " error=\(error)" }
            log.lines.withLock { $0.append(line) }
        }
    }
}
