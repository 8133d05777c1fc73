internal import Glibc

/// An open directory: names inside it are looked up relative to its descriptor, never by path
/// again, so what it is cannot be swapped under the caller, and nothing reached through it
/// (``subdirectory(_:)``, ``readRegularFile(_:maxBytes:)``) may be a symbolic link. This is
/// how files a tenant controls stay confined to the directory they were put in.
///
/// Owned by one thread at a time (listings share the descriptor's position); not `Sendable`.
/// The descriptor is close-on-exec and closed when the value goes away.
public final class Directory {
    /// The path it was opened by (joined with each name, for errors and logs).
    public let path: String
    private let descriptor: Int32

    /// Opens the directory at `path`, following symbolic links (an operator's path).
    public convenience init(path: String) throws(FileAccessError) {
        try self.init(parent: AT_FDCWD, name: path, path: path, followingSymbolicLinks: true)
    }

    private init(parent: Int32, name: String, path: String, followingSymbolicLinks: Bool) throws(FileAccessError) {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingSymbolicLinks ? 0 : O_NOFOLLOW)
        do {
            descriptor = try SystemCall.retrying("open(\(path))") { openat(parent, name, flags) }
        } catch {
            throw RegularFileReader.openFailure(
                error, directory: parent, name: name, path: path, followingSymbolicLinks: followingSymbolicLinks)
        }
        self.path = path
    }

    deinit { _ = Glibc.close(descriptor) }

    /// The directory `name` inside this one. A symbolic link is refused (``FileAccessError/Reason/symbolicLink``),
    /// as is anything not a directory (``FileAccessError/Reason/wrongType(_:)``).
    public func subdirectory(_ name: String) throws(FileAccessError) -> Directory {
        try checkComponent(name)
        return try Directory(parent: descriptor, name: name, path: child(name), followingSymbolicLinks: false)
    }

    /// Every name in the directory but "." and "..", sorted (bytes that are not UTF-8 are replaced).
    public func entryNames() throws(FileAccessError) -> [String] {
        let copy: Int32
        do {
            copy = try SystemCall.retrying("dup(\(path))") { fcntl(descriptor, F_DUPFD_CLOEXEC, 0) }
        } catch {
            throw FileAccessError(path: path, reason: .failed(error), status: nil)
        }
        guard let stream = fdopendir(copy) else {
            let error = SystemCallError(call: "fdopendir(\(path))", errno: errno)
            _ = Glibc.close(copy)
            throw FileAccessError(path: path, reason: .failed(error), status: nil)
        }
        defer { closedir(stream) }  // closes `copy`
        rewinddir(stream)  // the copy shares the position of earlier listings
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// What the entry `name` is, not following a symbolic link (`fstatat(2)` with
    /// `AT_SYMLINK_NOFOLLOW`): a link is described itself, never its target. nil when there
    /// is no such entry.
    public func status(of name: String) -> FileStatus? {
        guard (try? checkComponent(name)) != nil else { return nil }
        return RegularFileReader.status(directory: descriptor, name: name, followingSymbolicLinks: false)
    }

    /// Reads the regular file `name` inside this directory whole: opened with `O_NOFOLLOW`
    /// (a symbolic link is refused) and `O_NONBLOCK` (a FIFO does not block), checked with
    /// `fstat(2)` on the descriptor (a regular file of at most `maxBytes`, else refused before
    /// any byte is read), then read through that descriptor.
    public func readRegularFile(_ name: String, maxBytes: Int) throws(FileAccessError) -> FileContents {
        try checkComponent(name)
        return try RegularFileReader.read(
            directory: descriptor, name: name, path: child(name), followingSymbolicLinks: false, maxBytes: maxBytes)
    }

    private func child(_ name: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }

    /// One path component: not empty, no "/", not "." or "..": nothing that leaves the directory.
    private func checkComponent(_ name: String) throws(FileAccessError) {
        guard name.isEmpty || name.contains("/") || name == "." || name == ".." else { return }
        throw FileAccessError(
            path: child(name), reason: .failed(SystemCallError(call: "open(\(child(name)))", errno: EINVAL)), status: nil)
    }
}
