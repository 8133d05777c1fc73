public import Blocking

/// Which SQL the connection speaks. The store writes one SQL text for both where it can
/// (`$1` parameters, `INSERT … ON CONFLICT`, `RETURNING`) and asks the dialect where they differ.
public enum SQLDialect: Sendable, Equatable {
    case sqlite
    case postgresql
}

/// One open database connection. Every call blocks (disk or network), so each takes the
/// ``BlockingPermit`` of the thread it runs on; a connection is used by one thread at a time
/// (it is not `Sendable`: the store gives each connection to one thread).
///
/// Parameters are written `$1`, `$2`, … in both dialects (SQLiteConnection maps them to `?1`, …);
/// values are always bound, never spliced into the SQL text.
public protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }

    /// Runs one statement with its parameters and returns its rows and the rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue], permit: BlockingPermit) throws(SQLError) -> SQLResult

    /// Runs several statements without parameters, separated by `;` (a migration's DDL).
    func executeScript(_ sql: String, permit: BlockingPermit) throws(SQLError)

    /// False once the connection is known to be unusable (the server went away): the owner
    /// opens a new one.
    var isUsable: Bool { get }

    /// Closes the connection; later calls fail with `.connection`. Idempotent.
    func close()
}

extension SQLConnection {
    @discardableResult
    public func execute(_ sql: String, permit: BlockingPermit) throws(SQLError) -> SQLResult {
        try execute(sql, [], permit: permit)
    }

    /// Runs `body` inside BEGIN … COMMIT; any error rolls back (when the connection still
    /// works) and is rethrown. Not reentrant: `body` must not start another transaction.
    public func transaction<T>(permit: BlockingPermit, _ body: () throws(SQLError) -> T) throws(SQLError) -> T {
        try execute(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN", permit: permit)
        do {
            let result = try body()
            try execute("COMMIT", permit: permit)
            return result
        } catch {
            if isUsable { _ = try? execute("ROLLBACK", permit: permit) }
            throw error
        }
    }
}

/// A PostgreSQL `NOTIFY` received on a connection that `LISTEN`s.
public struct SQLNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The backend process that sent it (the same value for every notification sent by one session).
    public let senderProcessID: Int32

    public init(channel: String, payload: String, senderProcessID: Int32) {
        self.channel = channel
        self.payload = payload
        self.senderProcessID = senderProcessID
    }
}
