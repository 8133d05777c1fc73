/// A gRPC message encoding (`grpc-encoding` / `grpc-accept-encoding` values) that this transport
/// can produce and consume.
public enum MessageEncoding: String, Sendable, Hashable, CaseIterable {
    /// No compression. Messages may still arrive with the compressed flag clear under any encoding.
    case identity
    /// gzip (RFC 1952), through the GZip module.
    case gzip

    /// Parses a `grpc-encoding` value (case-insensitive, surrounding spaces ignored); nil for an
    /// encoding we do not implement, such as `deflate` or `snappy`.
    public init?(headerValue: some StringProtocol) {
        switch headerValue.trimmingSpaces().lowercased() {
        case "gzip": self = .gzip
        case "identity": self = .identity
        default: return nil
        }
    }

    /// The wire name (`gzip`, `identity`).
    public var headerValue: String { rawValue }

    /// Every encoding we accept, for `grpc-accept-encoding`: `"identity,gzip"`.
    public static let acceptEncodingHeaderValue = allCases.map(\.rawValue).joined(separator: ",")

    /// The encodings we support among a peer's `grpc-accept-encoding` list (`"gzip, deflate"`),
    /// in the peer's order; unknown names are skipped.
    public static func parseAcceptEncoding(_ value: some StringProtocol) -> [MessageEncoding] {
        value.split(separator: ",").compactMap { MessageEncoding(headerValue: $0) }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP optional whitespace).
    func trimmingSpaces() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return self[start..<end]
    }
}
