/// A tenant's identifier: `^[a-z0-9][a-z0-9_-]{0,62}$`.
///
/// The only way to make one is the validating initializer, so a `TenantID` is always safe to use
/// as a directory name (no "/", no "..", no leading "." or "-", no upper case that could collide
/// on case-insensitive file systems). Code that builds a path from a tenant takes a `TenantID`,
/// never a `String`.
public struct TenantID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// The maximum length of an identifier.
    public static let maxLength = 63

    /// `nil` unless `raw` matches `^[a-z0-9][a-z0-9_-]{0,62}$`.
    public init?(_ raw: String) {
        guard Self.isValid(raw) else { return nil }
        rawValue = raw
    }

    /// The tenant every caller is in single-tenant mode (no tokens file).
    public static let singleTenant = TenantID(uncheckedLiteral: "default")

    public var description: String { rawValue }

    /// Why `raw` is not a valid tenant id, for error messages (`nil` when it is valid).
    public static func problem(with raw: String) -> String? {
        if raw.isEmpty { return "a tenant id must not be empty" }
        if raw.utf8.count > maxLength { return "a tenant id has at most \(maxLength) characters" }
        if !isValid(raw) {
            return "a tenant id uses only a-z, 0-9, '_' and '-', and starts with a letter or digit"
        }
        return nil
    }

    /// Whether `raw` matches the rule: the one test of it (model names follow it too).
    public static func isValid(_ raw: String) -> Bool {
        let bytes = raw.utf8
        guard let first = bytes.first, bytes.count <= maxLength, isLowerAlnum(first) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private init(uncheckedLiteral: String) {
        precondition(Self.isValid(uncheckedLiteral))
        rawValue = uncheckedLiteral
    }
}
