internal import Glibc
internal import CPosix

/// A thin inotify wrapper: watch directories, read what happened in them.
///
/// Owned by one thread (the one that calls ``readEvents(timeoutMilliseconds:)``); not `Sendable`.
/// The descriptor is non-blocking and close-on-exec, and is closed by ``close()`` or `deinit`.
public final class FileWatcher {
    /// One watched directory (an inotify watch descriptor).
    public struct Watch: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public var description: String { "watch \(rawValue)" }
    }

    /// What happened (inotify's mask bits).
    public struct Kind: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// A file or directory was made in the watched directory.
        public static let created = Kind(rawValue: UInt32(IN_CREATE))
        /// A file or directory was deleted from the watched directory.
        public static let deleted = Kind(rawValue: UInt32(IN_DELETE))
        /// A file opened for writing was closed.
        public static let closedAfterWrite = Kind(rawValue: UInt32(IN_CLOSE_WRITE))
        /// A file was renamed into the watched directory (the end of write-then-rename).
        public static let movedIn = Kind(rawValue: UInt32(IN_MOVED_TO))
        /// A file was renamed out of the watched directory.
        public static let movedOut = Kind(rawValue: UInt32(IN_MOVED_FROM))
        /// The watched directory itself was deleted.
        public static let watchedDirectoryDeleted = Kind(rawValue: UInt32(IN_DELETE_SELF))
        /// The watch is gone (its directory was deleted, or it was removed); its descriptor may be reused.
        public static let watchRemoved = Kind(rawValue: UInt32(IN_IGNORED))
        /// The kernel's event queue overflowed: events were lost (rescan everything).
        public static let overflow = Kind(rawValue: UInt32(IN_Q_OVERFLOW))
        /// The subject (`name`) is a directory.
        public static let isDirectory = Kind(rawValue: UInt32(IN_ISDIR))
    }

    public struct Event: Hashable, Sendable, CustomStringConvertible {
        /// The watch it came from (`-1` for ``Kind/overflow``).
        public let watch: Watch
        /// The entry inside the watched directory; empty for events about the directory itself.
        public let name: String
        public let kind: Kind

        public init(watch: Watch, name: String, kind: Kind) {
            self.watch = watch
            self.name = name
            self.kind = kind
        }

        public var description: String { "\(watch) \(name.isEmpty ? "." : name) 0x\(String(kind.rawValue, radix: 16))" }
    }

    /// The events every directory watch asks for.
    static let directoryMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_DELETE_SELF)

    private var descriptor: Int32
    private var buffer: [UInt8]

    public init() throws(SystemCallError) {
        descriptor = try SystemCall.retrying("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        buffer = [UInt8](repeating: 0, count: 64 * 1024)
    }

    deinit { close() }

    /// Watches the directory at `path` (not its subdirectories). Watching the same directory
    /// again returns the same watch. With `followingSymbolicLinks: false` (`IN_DONT_FOLLOW`), a
    /// `path` that is a symbolic link is refused (ENOTDIR) instead of watching its target.
    @discardableResult
    public func addWatch(directory path: String, followingSymbolicLinks: Bool = true) throws(SystemCallError) -> Watch {
        precondition(descriptor >= 0, "FileWatcher used after close()")
        let mask = Self.directoryMask | UInt32(IN_ONLYDIR) | (followingSymbolicLinks ? 0 : UInt32(IN_DONT_FOLLOW))
        let wd = try SystemCall.retrying("inotify_add_watch(\(path))") {
            inotify_add_watch(descriptor, path, mask)
        }
        return Watch(rawValue: wd)
    }

    /// Stops a watch; its ``Kind/watchRemoved`` event still arrives. Unknown watches are ignored.
    public func removeWatch(_ watch: Watch) {
        guard descriptor >= 0 else { return }
        _ = inotify_rm_watch(descriptor, watch.rawValue)
    }

    /// Waits up to `timeoutMilliseconds` (0: do not wait, negative: forever) for events and
    /// returns those available (empty when none came in time).
    public func readEvents(timeoutMilliseconds: Int32) throws(SystemCallError) -> [Event] {
        precondition(descriptor >= 0, "FileWatcher used after close()")
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = try SystemCall.retrying("poll(inotify)") { poll(&request, 1, timeoutMilliseconds) }
        if ready == 0 { return [] }
        let fd = descriptor
        let count = try SystemCall.retryingNonBlocking("read(inotify)") {
            buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        }
        guard let count, count > 0 else { return [] }
        return buffer.withUnsafeBytes { Self.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Closes the inotify descriptor (every watch ends). Safe to call twice.
    public func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    /// `struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }`,
    /// `name` NUL-padded.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        let headerSize = 16
        var events: [Event] = []
        var offset = 0
        while bytes.count - offset >= headerSize {
            let wd = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + headerSize
            guard nameStart + length <= bytes.count else { break }
            var nameEnd = nameStart
            while nameEnd < nameStart + length && bytes[nameEnd] != 0 { nameEnd += 1 }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
            events.append(Event(watch: Watch(rawValue: wd), name: name, kind: Kind(rawValue: mask)))
            offset = nameStart + length
        }
        return events
    }
}

/// What `stat(2)` says about a path (following symlinks unless asked not to): enough to notice
/// that a file changed (size, modification time, inode, mode, owner) without reading it, and to
/// check who may read or write it.
public struct FileStatus: Hashable, Sendable {
    public enum FileType: Sendable, Hashable, CustomStringConvertible {
        case regular, directory
        /// Only seen when symbolic links are not followed (``of(path:followingSymbolicLinks:)``,
        /// ``Directory/status(of:)``).
        case symbolicLink
        /// A named pipe: opening one for reading blocks until a writer comes.
        case fifo
        /// Sockets and device nodes.
        case other

        /// "a regular file", "a directory", "a symbolic link", "a FIFO", "a socket or device".
        public var description: String {
            switch self {
            case .regular: "a regular file"
            case .directory: "a directory"
            case .symbolicLink: "a symbolic link"
            case .fifo: "a FIFO"
            case .other: "a socket or device"
            }
        }
    }

    public let type: FileType
    /// Bytes; for a symbolic link, the length of the path it holds (never its target's size).
    public let size: Int
    /// Modification time, nanoseconds since 1970-01-01 UTC.
    public let modifiedNanoseconds: Int64
    public let inode: UInt64
    public let device: UInt64
    /// The permission bits of `st_mode` (`0o7777`: set-id, sticky, owner/group/other rwx), such as `0o640`.
    public let permissions: UInt32
    /// The owner's user id (`st_uid`).
    public let ownerID: UInt32
    /// The group id (`st_gid`).
    public let groupID: UInt32

    public init(
        type: FileType, size: Int, modifiedNanoseconds: Int64, inode: UInt64, device: UInt64,
        permissions: UInt32, ownerID: UInt32, groupID: UInt32
    ) {
        self.type = type
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.inode = inode
        self.device = device
        self.permissions = permissions
        self.ownerID = ownerID
        self.groupID = groupID
    }

    /// Whether users other than the owner (the group, or everyone) may write the file.
    public var isWritableByGroupOrOthers: Bool { permissions & 0o022 != 0 }
    /// Whether users other than the owner (the group, or everyone) may read the file.
    public var isReadableByGroupOrOthers: Bool { permissions & 0o044 != 0 }

    /// `fstat(2)` of an open descriptor: the status of exactly the file that was opened.
    static func of(descriptor: Int32, path: String) throws(SystemCallError) -> FileStatus {
        var info = stat()
        _ = try SystemCall.retrying("fstat(\(path))") { fstat(descriptor, &info) }
        return FileStatus(info)
    }

    init(_ info: stat) {
        let type: FileType
        switch info.st_mode & S_IFMT {
        case S_IFREG: type = .regular
        case S_IFDIR: type = .directory
        case S_IFLNK: type = .symbolicLink
        case S_IFIFO: type = .fifo
        default: type = .other
        }
        self.init(
            type: type, size: Int(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            inode: UInt64(info.st_ino), device: UInt64(info.st_dev), permissions: UInt32(info.st_mode) & 0o7777,
            ownerID: UInt32(info.st_uid), groupID: UInt32(info.st_gid))
    }

    /// nil when the path does not exist or cannot be read. With `followingSymbolicLinks: false`
    /// (`lstat(2)`), a symbolic link is described itself, as ``FileType/symbolicLink``.
    public static func of(path: String, followingSymbolicLinks: Bool = true) -> FileStatus? {
        var info = stat()
        let result = followingSymbolicLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return nil }
        return FileStatus(info)
    }
}
