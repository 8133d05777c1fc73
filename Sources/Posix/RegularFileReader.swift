internal import Glibc

extension FileSystem {
    /// Reads the regular file at `path` whole, following symbolic links (for paths an operator
    /// gave, such as a command-line option). It is opened `O_NONBLOCK` (a FIFO does not block
    /// the open), checked with `fstat(2)` on the descriptor (a regular file, at most `maxBytes`)
    /// and only then read, through the same descriptor: no second lookup of the path.
    /// Files inside a directory that must not lead elsewhere: ``Directory/readRegularFile(_:maxBytes:)``.
    public static func readRegularFile(path: String, maxBytes: Int) throws(FileAccessError) -> FileContents {
        try RegularFileReader.read(directory: AT_FDCWD, name: path, path: path, followingSymbolicLinks: true, maxBytes: maxBytes)
    }
}

/// The one implementation of "open, fstat, check, read" behind ``FileSystem`` and ``Directory``.
enum RegularFileReader {
    /// Opens `name` relative to the directory descriptor `directory` (`AT_FDCWD`: the current
    /// directory, or any absolute path); `path` is what errors call it.
    static func read(
        directory: Int32, name: String, path: String, followingSymbolicLinks: Bool, maxBytes: Int
    ) throws(FileAccessError) -> FileContents {
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (followingSymbolicLinks ? 0 : O_NOFOLLOW)
        let descriptor: Int32
        do {
            descriptor = try SystemCall.retrying("open(\(path))") { openat(directory, name, flags) }
        } catch {
            throw openFailure(error, directory: directory, name: name, path: path, followingSymbolicLinks: followingSymbolicLinks)
        }
        defer { _ = Glibc.close(descriptor) }

        var info = stat()
        do {
            _ = try SystemCall.retrying("fstat(\(path))") { fstat(descriptor, &info) }
        } catch {
            throw FileAccessError(path: path, reason: .failed(error), status: nil)
        }
        let status = FileStatus(info)
        guard status.type == .regular else {
            throw FileAccessError(path: path, reason: .wrongType(status.type), status: status)
        }
        guard status.size <= maxBytes else {
            throw FileAccessError(path: path, reason: .tooLarge(limit: maxBytes), status: status)
        }
        return FileContents(bytes: try readAll(descriptor, size: status.size, path: path), status: status)
    }

    /// Up to `size` bytes (the size `fstat` gave): a file that grows meanwhile is not read past
    /// it, one that shrinks gives what is there.
    private static func readAll(_ descriptor: Int32, size: Int, path: String) throws(FileAccessError) -> [UInt8] {
        var failure: SystemCallError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < size {
                do throws(SystemCallError) {
                    let got = try SystemCall.retrying("read(\(path))") { Glibc.read(descriptor, base + count, size - count) }
                    if got == 0 { break }
                    count += got
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw FileAccessError(path: path, reason: .failed(failure), status: nil) }
        return bytes
    }

    /// What a failed `openat` means, with the entry's own status where there is one.
    static func openFailure(
        _ error: SystemCallError, directory: Int32, name: String, path: String, followingSymbolicLinks: Bool
    ) -> FileAccessError {
        if error.errno == ENOENT { return FileAccessError(path: path, reason: .notFound, status: nil) }
        let own = status(directory: directory, name: name, followingSymbolicLinks: followingSymbolicLinks)
        if !followingSymbolicLinks, own?.type == .symbolicLink {
            return FileAccessError(path: path, reason: .symbolicLink, status: own)
        }
        if error.errno == ENOTDIR, let own, own.type != .directory {
            return FileAccessError(path: path, reason: .wrongType(own.type), status: own)
        }
        return FileAccessError(path: path, reason: .failed(error), status: own)
    }

    /// `fstatat(2)`; nil when there is no such entry.
    static func status(directory: Int32, name: String, followingSymbolicLinks: Bool) -> FileStatus? {
        var info = stat()
        let flags = followingSymbolicLinks ? 0 : AT_SYMLINK_NOFOLLOW
        guard fstatat(directory, name, &info, flags) == 0 else { return nil }
        return FileStatus(info)
    }
}
