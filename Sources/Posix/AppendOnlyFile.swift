internal import Glibc

/// A file open for appending only: `O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW`.
///
/// With `O_APPEND` the kernel moves to the end of the file and writes in one step, so whole
/// lines written with one ``append(_:)`` each by several processes never overwrite or interleave
/// each other (on a local file system). `O_NOFOLLOW` refuses a path that is a symbolic link
/// (`ELOOP`), so a link planted where the log should be cannot redirect the writes.
///
/// Owned by one thread; not `Sendable`. The descriptor is closed by ``close()`` or `deinit`.
public final class AppendOnlyFile {
    /// The path the file was opened at (another process may have renamed it since: see ``status()``).
    public let path: String
    private var descriptor: Int32

    /// Opens `path` for appending, creating it with `permissions` (less the umask) when missing.
    public init(path: String, permissions: UInt32 = 0o640) throws(SystemCallError) {
        self.path = path
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW
        descriptor = try SystemCall.retrying("open(\(path))") { open(path, flags, mode_t(permissions)) }
    }

    deinit { close() }

    /// Appends `bytes` with one `write(2)`; a short write (a signal, a nearly full disk) is
    /// continued with further writes until every byte is written or a write fails.
    public func append(_ bytes: [UInt8]) throws(SystemCallError) {
        precondition(descriptor >= 0, "AppendOnlyFile \(path) used after close()")
        let fd = descriptor
        var offset = 0
        while offset < bytes.count {
            let written = try SystemCall.retrying("write(\(path))") {
                bytes.withUnsafeBytes { buffer in write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            // write(2) returns 0 only for a zero-byte request; never spin on it.
            guard written > 0 else { throw SystemCallError(call: "write(\(path))", errno: EIO) }
            offset += written
        }
    }

    /// `fsync(2)`: the written bytes (and the file's size) are on stable storage when it returns.
    public func sync() throws(SystemCallError) {
        precondition(descriptor >= 0, "AppendOnlyFile \(path) used after close()")
        let fd = descriptor
        _ = try SystemCall.retrying("fsync(\(path))") { fsync(fd) }
    }

    /// What the open file looks like now.
    public struct Status: Sendable, Equatable {
        /// Bytes in the open file (every process's appends included).
        public let size: Int
        /// Whether ``AppendOnlyFile/path`` still names this file (same device and inode). False
        /// once another process renamed it away (rotation) or someone deleted it: new lines
        /// should then go to a freshly opened file at the path.
        public let isAtPath: Bool
    }

    /// `fstat(2)` of the descriptor and `stat(2)` of the path, compared by device and inode.
    public func status() throws(SystemCallError) -> Status {
        precondition(descriptor >= 0, "AppendOnlyFile \(path) used after close()")
        var opened = stat()
        let fd = descriptor
        _ = try SystemCall.retrying("fstat(\(path))") { fstat(fd, &opened) }
        var named = stat()
        let found = stat(path, &named) == 0
        if !found && errno != ENOENT && errno != ENOTDIR {
            throw SystemCallError(call: "stat(\(path))", errno: errno)
        }
        let same = found && named.st_dev == opened.st_dev && named.st_ino == opened.st_ino
        return Status(size: Int(opened.st_size), isAtPath: same)
    }

    /// Closes the descriptor (unsynced bytes are still written back by the kernel later: a
    /// killed process loses nothing it wrote). Safe to call twice.
    public func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }
}
