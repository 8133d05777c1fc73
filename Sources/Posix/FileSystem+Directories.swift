internal import Glibc

/// Directory and file-name operations for logs that rotate: create the folders, delete old
/// files, make renames durable, and serialize rotations between processes.
extension FileSystem {
    /// `mkdir -p`: creates `path` and any missing parent, each with `permissions` (less the
    /// umask). Existing directories are left as they are.
    public static func makeDirectories(_ path: String, permissions: UInt32 = 0o750) throws(SystemCallError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, mode_t(permissions)) != 0 && errno != EEXIST {
                throw SystemCallError(call: "mkdir(\(prefix))", errno: errno)
            }
            prefix += "/"
        }
    }

    /// `unlink(2)`. Returns false when there was no such file.
    @discardableResult
    public static func removeFile(_ path: String) throws(SystemCallError) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw SystemCallError(call: "unlink(\(path))", errno: errno)
    }

    /// `fsync(2)` of a directory: its entries (files created, renamed, deleted in it) are on
    /// stable storage when it returns.
    public static func syncDirectory(_ path: String) throws(SystemCallError) {
        let fd = try SystemCall.retrying("open(\(path))") { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { _ = close(fd) }
        _ = try SystemCall.retrying("fsync(\(path))") { fsync(fd) }
    }
}

/// An exclusive `flock(2)` on a directory, held until ``unlock()`` (or `deinit`): processes that
/// rename files in that directory take it first, so two rotations never run at once.
/// Advisory: it only excludes other holders of the same lock.
public final class DirectoryLock {
    public let path: String
    private var descriptor: Int32

    /// Waits until the lock is free, then holds it.
    public init(path: String) throws(SystemCallError) {
        self.path = path
        let fd = try SystemCall.retrying("open(\(path))") { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        do {
            _ = try SystemCall.retrying("flock(\(path))") { flock(fd, LOCK_EX) }
        } catch {
            _ = close(fd)
            throw error
        }
        descriptor = fd
    }

    deinit { unlock() }

    /// Releases the lock. Safe to call twice.
    public func unlock() {
        if descriptor >= 0 {
            _ = close(descriptor)  // closing the last descriptor of the open file releases the flock
            descriptor = -1
        }
    }
}

extension SystemCallError {
    /// `ENOENT`: the path (or one of its directories) does not exist.
    public var isNoSuchFile: Bool { errno == ENOENT }
    /// `ELOOP`: the path is a symbolic link and the call was told not to follow one (`O_NOFOLLOW`).
    public var isSymbolicLinkRefused: Bool { errno == ELOOP }
}
