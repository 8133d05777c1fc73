internal import Glibc

/// A file opened for reading whose ``status`` comes from the open descriptor (`fstat(2)`), so a
/// check of its type, owner or permissions applies to exactly the bytes ``readAll(maxBytes:)``
/// then returns: a file renamed over the path in between is not the one read.
///
/// Owned by one thread (not `Sendable`); the descriptor is closed by ``close()`` or `deinit`.
public final class ReadOnlyFile {
    /// The path as given to ``init(path:)`` (for messages).
    public let path: String
    /// What `fstat` said right after opening.
    public let status: FileStatus
    private var descriptor: Int32

    /// Opens `path` (following symlinks) with `O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK`:
    /// opening a FIFO or a device does not block (check ``status`` before reading).
    ///
    /// - Throws: ``SystemCallError`` from `open` (`ENOENT`, `EACCES`, ...) or `fstat`.
    public init(path: String) throws(SystemCallError) {
        let opened = try SystemCall.retrying("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) }
        do {
            status = try FileStatus.of(descriptor: opened, path: path)
        } catch {
            _ = Glibc.close(opened)
            throw error
        }
        self.path = path
        descriptor = opened
    }

    deinit { close() }

    /// Reads from the current offset to the end of the file: nil when it holds more than
    /// `maxBytes` (at most `maxBytes + 1` bytes are read to tell).
    ///
    /// - Throws: ``SystemCallError`` from `read` (`EISDIR`, `EIO`, `EAGAIN` on an empty FIFO, ...).
    public func readAll(maxBytes: Int) throws(SystemCallError) -> [UInt8]? {
        precondition(descriptor >= 0, "ReadOnlyFile.readAll after close()")
        let chunkSize = 64 * 1024
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(status.size, 0), maxBytes) + 1)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while bytes.count <= maxBytes {
            let wanted = min(chunkSize, maxBytes + 1 - bytes.count)
            let count = try SystemCall.retrying("read(\(path))") {
                chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return nil
    }

    /// Closes the descriptor (again is harmless).
    public func close() {
        guard descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        descriptor = -1
    }
}
