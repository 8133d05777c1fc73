/// A failed database call, with the database's own message (never a parameter's value).
public struct SQLError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The connection could not be made, was lost, or the server is shutting down: retry
        /// later on a new connection.
        case connection
        /// A UNIQUE, PRIMARY KEY, NOT NULL, CHECK or FOREIGN KEY constraint refused the row.
        case constraint
        /// The database was locked (SQLite's busy timeout passed) or a PostgreSQL
        /// serialization failure or deadlock: the transaction may be retried as it is.
        case retryable
        /// The statement timed out (PostgreSQL's `statement_timeout`).
        case timeout
        /// The statement is wrong (syntax, unknown table or column, type mismatch): a bug,
        /// never fixed by retrying.
        case statement
        /// The disk or the database file (full, read-only, corrupt, cannot be opened).
        case storage
    }

    public let kind: Kind
    public let message: String
    /// PostgreSQL's SQLSTATE ("23505"), or SQLite's extended result code as text ("2067").
    public let code: String

    public init(_ kind: Kind, _ message: String, code: String = "") {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { code.isEmpty ? message : "\(message) [\(code)]" }
}
