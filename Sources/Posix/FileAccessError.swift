/// Why a file or directory was refused or could not be read (``Directory``,
/// ``FileSystem/readRegularFile(path:maxBytes:)``). `description` reads like
/// `"/srv/tenants/acme/models/x.rimodel: is a symbolic link"`.
public struct FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Nothing by that name.
        case notFound
        /// The name is a symbolic link, and links are not followed there (`O_NOFOLLOW`).
        case symbolicLink
        /// A regular file (or a directory) was wanted; the entry is this instead.
        case wrongType(FileStatus.FileType)
        /// A regular file larger than the limit (bytes); not one byte of it was read.
        case tooLarge(limit: Int)
        /// Any other failure (permission denied, I/O error), as the system call reported it.
        case failed(SystemCallError)
    }

    /// The path the caller asked for (a directory's path joined with the name).
    public let path: String
    public let reason: Reason
    /// The entry's own status when it is known: for a symbolic link that of the link itself
    /// (`lstat`), never its target's; for a file too large, its size.
    public let status: FileStatus?

    public init(path: String, reason: Reason, status: FileStatus?) {
        self.path = path
        self.reason = reason
        self.status = status
    }

    public var description: String {
        switch reason {
        case .notFound: "\(path): no such file or directory"
        case .symbolicLink: "\(path): is a symbolic link"
        case .wrongType(let type): "\(path): is \(type)"
        case .tooLarge(let limit): "\(path): is \(status?.size ?? 0) bytes, more than the limit of \(limit) bytes"
        case .failed(let error): "\(path): \(error.message)"
        }
    }
}

/// A regular file read whole, with the status its descriptor had when it was read.
public struct FileContents: Sendable {
    public let bytes: [UInt8]
    /// `fstat(2)` of the open descriptor, taken before the first byte was read.
    public let status: FileStatus

    public init(bytes: [UInt8], status: FileStatus) {
        self.bytes = bytes
        self.status = status
    }
}
