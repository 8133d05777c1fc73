/// One value bound to a statement's parameter or read from a result column.
///
/// The store's tables use only these types: integers (64-bit), doubles, UTF-8 text and bytes.
/// Booleans are integers 0/1 in both dialects.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }

    /// The integer, or nil for anything else (a real with an integral value counts, as does
    /// the text of an integer: PostgreSQL reports `numeric` and some aggregates as text).
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): value.rounded() == value && abs(value) < 9.2e18 ? Int64(value) : nil
        case .text(let text): Int64(text)
        case .null, .blob: nil
        }
    }

    /// The number as a Double (integers and numeric text convert), or nil.
    public var real: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        case .text(let text): Double(text)
        case .null, .blob: nil
        }
    }

    /// The text, or nil for anything that is not text.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The bytes, or nil for anything that is not a blob.
    public var blob: [UInt8]? {
        if case .blob(let bytes) = self { return bytes }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// One result row, columns in the order of the statement's select list.
public struct SQLRow: Sendable, Equatable {
    public let values: [SQLValue]

    public init(_ values: [SQLValue]) { self.values = values }

    public subscript(_ column: Int) -> SQLValue { column < values.count ? values[column] : .null }

    /// Column `i` as an integer; 0 when NULL or not a number.
    public func int64(_ column: Int) -> Int64 { self[column].integer ?? 0 }
    /// Column `i` as a Double; 0 when NULL or not a number.
    public func double(_ column: Int) -> Double { self[column].real ?? 0 }
    /// Column `i` as text; "" when NULL.
    public func string(_ column: Int) -> String { self[column].text ?? "" }
    /// Column `i` as text, or nil when NULL.
    public func optionalString(_ column: Int) -> String? { self[column].text }
}

/// What a statement returned: its rows (empty for statements without results) and, for
/// INSERT/UPDATE/DELETE, how many rows it changed.
public struct SQLResult: Sendable, Equatable {
    public var rows: [SQLRow]
    public var rowsAffected: Int

    public init(rows: [SQLRow] = [], rowsAffected: Int = 0) {
        self.rows = rows
        self.rowsAffected = rowsAffected
    }

    public var first: SQLRow? { rows.first }
}
