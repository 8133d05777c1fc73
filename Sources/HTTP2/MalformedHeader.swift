/// Describes a header field that RFC 9113 §8.2.1 does not allow, for a log line: the name made
/// printable and what is wrong with the field. The value itself is never kept (it may be a
/// credential).
enum MalformedHeader {
    /// Longest name kept in a report; longer names are cut and end with "…".
    static let maxNameLength = 64

    /// The name with every byte outside printable ASCII replaced by "?", cut to
    /// ``maxNameLength``.
    static func printableName(_ name: UnsafeBufferPointer<UInt8>) -> String {
        var text = String(decoding: name.prefix(maxNameLength).map { (0x21...0x7e).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        if name.count > maxNameLength { text += "…" }
        return text
    }

    /// What is wrong, checked in the order nghttp2 checks: the name, then the value.
    static func reason(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> String {
        if name.isEmpty { return "name is empty" }
        if !name.allSatisfy(isLowercaseTokenByte) { return "name has upper-case or invalid characters" }
        if value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7f }) { return "value contains a control character" }
        if let first = value.first, let last = value.last, isWhitespace(first) || isWhitespace(last) {
            return "value has leading or trailing whitespace"
        }
        return "value has characters not allowed in this field"
    }

    /// RFC 9110 token characters, with letters lower-case only (RFC 9113 §8.2.1).
    private static func isLowercaseTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return tokenSymbols.contains(byte)
        }
    }

    private static let tokenSymbols = Array("!#$%&'*+-.^_`|~".utf8)

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
