internal import Foundation
internal import JSONText
public import Logging
internal import Posix

/// A swift-log handler that writes one line per event to stderr, as logfmt
/// (`time=… level=info label=… msg="…" key=value`) or as one JSON object.
///
/// What goes into a log line is decided by the code that logs: the service never puts a
/// buyer's message text into metadata unless `logging.log_message_text` is on.
public struct LineLogHandler: LogHandler {
    public enum Format: String, Sendable { case text, json }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: Format

    public init(label: String, level: Logger.Level, format: Format) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        let keys = merged.keys.sorted()
        switch format {
        case .text:
            var line = "time=\(time) level=\(event.level) label=\(label) msg=\(Self.logfmtQuoted(event.message.description))"
            for key in keys { line += " \(key)=\(Self.logfmtQuoted(merged[key]!.description))" }
            Output.error(line)
        case .json:
            var line = "{\"time\":\(Self.jsonQuoted(time)),\"level\":\"\(event.level)\",\"label\":\(Self.jsonQuoted(label))"
            line += ",\"msg\":\(Self.jsonQuoted(event.message.description))"
            for key in keys { line += ",\(Self.jsonQuoted(key)):\(Self.jsonQuoted(merged[key]!.description))" }
            Output.error(line + "}")
        }
    }

    static func logfmtQuoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return value }
        return jsonQuoted(value)
    }

    static func jsonQuoted(_ value: String) -> String { JSONText.quoted(value) }
}

/// Process-wide logging setup (swift-log allows one bootstrap per process).
public enum LogSetup {
    public static let levelNames = Logger.Level.allCases.map(\.rawValue)

    /// Points swift-log at ``LineLogHandler``. Call once, before the first logger is made.
    public static func bootstrap(level: String, format: String) {
        let level = Logger.Level(rawValue: level) ?? .info
        let format = LineLogHandler.Format(rawValue: format) ?? .text
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: format) }
    }
}
