internal import Glibc

extension FileSystem {
    /// Writes `bytes` as the new content of `path` so that a reader (or a crash) sees the old
    /// file or the whole new one, never a part: the bytes go to a new temporary file in the same
    /// directory (`.NAME.tmp-PID-RANDOM`, created with `O_EXCL | O_NOFOLLOW` and given exactly
    /// `permissions`, and `owner` when set), which is fsynced, renamed over `path`, and the
    /// directory fsynced so the rename itself survives a power loss. On failure the temporary
    /// file is removed and `path` is untouched.
    ///
    /// - Parameters:
    ///   - permissions: the new file's mode bits, such as `0o600` (set with `fchmod`, so the
    ///     umask does not change them).
    ///   - owner: user and group ids for `fchown` (only root may give a file away); nil keeps
    ///     this process's.
    /// - Throws: ``SystemCallError`` naming the call that failed (`open`, `fchown`, `write`,
    ///   `fsync`, `rename`).
    public static func replaceAtomically(
        _ path: String, with bytes: [UInt8], permissions: UInt32, owner: (user: UInt32, group: UInt32)? = nil
    ) throws(SystemCallError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(directory)/.\(name).tmp-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let descriptor = try SystemCall.retrying("open(\(temporary))") {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(permissions & 0o7777))
        }
        var closed = false
        do {
            _ = try SystemCall.retrying("fchmod(\(temporary))") { fchmod(descriptor, mode_t(permissions & 0o7777)) }
            if let owner {
                _ = try SystemCall.retrying("fchown(\(temporary), \(owner.user):\(owner.group))") {
                    fchown(descriptor, owner.user, owner.group)
                }
            }
            var offset = 0
            while offset < bytes.count {
                offset += try SystemCall.retrying("write(\(temporary))") {
                    bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                }
            }
            _ = try SystemCall.retrying("fsync(\(temporary))") { fsync(descriptor) }
            closed = true
            _ = Glibc.close(descriptor)  // never retried: Linux frees the descriptor even on EINTR
            try rename(temporary, over: path)
        } catch {
            if !closed { _ = Glibc.close(descriptor) }
            _ = unlink(temporary)
            throw error
        }
        // The data is durable; this makes the new directory entry durable too (best effort: the
        // file has been replaced already, so a failure here is not reported as a failed write).
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            _ = Glibc.close(directoryDescriptor)
        }
    }
}
