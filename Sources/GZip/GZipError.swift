/// Why a gzip operation failed.
public enum GZipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input is not a valid gzip stream (bad header, bad checksum, truncated, trailing garbage),
    /// with zlib's own explanation when it gave one.
    case corrupt(String)
    /// Decompressing would produce more than `limit` bytes (a decompression bomb, or a message
    /// over the receiver's size limit).
    case tooLarge(limit: Int)
    /// zlib could not set up a stream or failed internally (out of memory, version mismatch).
    case zlibFailure(String)

    public var description: String {
        switch self {
        case .corrupt(let reason): "corrupt gzip data: \(reason)"
        case .tooLarge(let limit): "decompressed data larger than the limit of \(limit) bytes"
        case .zlibFailure(let reason): "zlib failure: \(reason)"
        }
    }
}
