import Logging
import Synchronization

/// A swift-log handler that keeps every line (message and metadata rendered) for assertions.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(event.level) \(event.message)"
        for (key, value) in (event.metadata ?? [:]).sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        lines.append(line)
    }

    static func logger(level: Logger.Level = .debug) -> (Logger, Lines) {
        let lines = Lines()
        var logger = Logger(label: "capture", factory: { _ in CapturingLogHandler(lines: lines) })
        logger.logLevel = level
        return (logger, lines)
    }
}
