internal import Glibc
internal import CPosix

/// A failed system call: which call (with its subject, such as `bind(127.0.0.1:50051)`), the
/// `errno` it set, and the C library's explanation. `description` reads
/// `"bind(127.0.0.1:50051): Address already in use"`.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, such as `"accept4"` or `"connect(localhost:443)"`.
    public let call: String
    /// The `errno` value (for `getaddrinfo`, its negative `EAI_*` code).
    public let errno: Int32
    /// `strerror(errno)` (or `gai_strerror`), captured when the error was made.
    public let message: String

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
        self.message = String(cString: strerror(errno))
    }

    init(call: String, errno: Int32, message: String) {
        self.call = call
        self.errno = errno
        self.message = message
    }

    public var description: String { "\(call): \(message)" }

    /// Whether the peer went away (reset, broken pipe): normal for a network server, not a bug.
    public var isConnectionLoss: Bool {
        errno == ECONNRESET || errno == EPIPE || errno == ECONNABORTED || errno == ETIMEDOUT || errno == ENOTCONN
    }
}
