internal import CZlib

/// gzip (RFC 1952) compression of whole messages, as gRPC's `gzip` message encoding uses it.
///
/// The only file that sees zlib. Each call sets up its own `z_stream` and ends it before
/// returning, so the functions are thread-safe and leak nothing on error.
///
/// zlib return codes are mapped in one place, ``check(_:_:stream:)``: `Z_OK`, `Z_STREAM_END` and
/// `Z_BUF_ERROR` (no progress possible, handled by the loops) are normal; `Z_DATA_ERROR` and
/// `Z_NEED_DICT` mean corrupt input; `Z_MEM_ERROR`, `Z_STREAM_ERROR` and `Z_VERSION_ERROR` are
/// zlib failures.
public enum GZip {
    /// zlib's windowBits for the gzip wrapper: 15 (32 KiB window) + 16 (gzip header/trailer).
    private static let gzipWindowBits: Int32 = 15 + 16

    /// Compresses `bytes` into one gzip member (default compression level).
    public static func compress(_ bytes: [UInt8]) throws(GZipError) -> [UInt8] {
        var output: [UInt8] = []
        try compress(bytes[...], appendingTo: &output)
        return output
    }

    /// Compresses `bytes` into one gzip member appended to `output` (no intermediate copy).
    public static func compress(_ bytes: ArraySlice<UInt8>, appendingTo output: inout [UInt8]) throws(GZipError) {
        guard bytes.count < Int(UInt32.max / 2) else { throw .zlibFailure("input of \(bytes.count) bytes is too large for one gzip call") }
        var stream = z_stream()
        try check(CZlib_deflateInit2(&stream, Z_DEFAULT_COMPRESSION, gzipWindowBits), "deflateInit2", stream: stream)
        defer { deflateEnd(&stream) }

        let start = output.count
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        output += [UInt8](repeating: 0, count: bound)
        let result: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress! + start
                stream.avail_out = uInt(bound)
                return deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound guarantees room for the whole output in a single Z_FINISH call.
        guard result == Z_STREAM_END else {
            output.removeSubrange(start...)
            try check(result == Z_OK || result == Z_BUF_ERROR ? Z_STREAM_ERROR : result, "deflate", stream: stream)
            return
        }
        output.removeSubrange((start + Int(stream.total_out))...)
    }

    /// Decompresses one gzip member; throws ``GZipError/tooLarge(limit:)`` as soon as the output
    /// would exceed `limit` bytes, without producing the rest.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(GZipError) -> [UInt8] {
        var output: [UInt8] = []
        try decompress(bytes[...], limit: limit, appendingTo: &output)
        return output
    }

    /// Decompresses one gzip member, appending at most `limit` bytes to `output`. On error,
    /// `output` is left as it was.
    public static func decompress(
        _ bytes: ArraySlice<UInt8>, limit: Int, appendingTo output: inout [UInt8]
    ) throws(GZipError) {
        precondition(limit >= 0, "limit must not be negative")
        let limit = min(limit, Int.max - 1)  // room for the one-past-the-limit probe byte
        if bytes.isEmpty { throw .corrupt("empty input (no gzip header)") }
        guard bytes.count < Int(UInt32.max / 2) else { throw .zlibFailure("input of \(bytes.count) bytes is too large for one gzip call") }
        var stream = z_stream()
        try check(CZlib_inflateInit2(&stream, gzipWindowBits), "inflateInit2", stream: stream)
        defer { inflateEnd(&stream) }

        let start = output.count
        // Guess 4x the input (typical for text), capped by the limit; grow by doubling.
        var chunk = max(256, min(limit + 1, bytes.count &* 4, 1 << 24))
        var produced = 0
        var finished = false
        var failure: GZipError?
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while !finished {
                // Room for one byte past the limit, so that exceeding it is detectable.
                let room = min(chunk, limit + 1 - produced)
                output += [UInt8](repeating: 0, count: room)
                let result: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress! + start + produced
                    stream.avail_out = uInt(room)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let wrote = room - Int(stream.avail_out)
                produced += wrote
                output.removeSubrange((start + produced)...)
                switch result {
                case Z_STREAM_END:
                    finished = true
                case Z_OK, Z_BUF_ERROR:
                    if produced > limit {
                        failure = .tooLarge(limit: limit)
                        return
                    }
                    if stream.avail_in == 0 && wrote < room {
                        failure = .corrupt("truncated input (gzip stream does not end)")
                        return
                    }
                    chunk = min(chunk * 2, 1 << 24)
                default:
                    do throws(GZipError) { try check(result, "inflate", stream: stream) } catch { failure = error }
                    return
                }
            }
            if produced > limit { failure = .tooLarge(limit: limit); return }
            if stream.avail_in != 0 {
                failure = .corrupt("\(stream.avail_in) bytes of trailing data after the gzip stream")
            }
        }
        if let failure {
            output.removeSubrange(start...)
            throw failure
        }
    }

    /// The one place zlib return codes become Swift errors.
    private static func check(_ code: Int32, _ call: String, stream: z_stream) throws(GZipError) {
        switch code {
        case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
            return
        case Z_DATA_ERROR, Z_NEED_DICT:
            throw .corrupt(message(stream) ?? "\(call) found invalid data")
        case Z_MEM_ERROR:
            throw .zlibFailure("\(call): out of memory")
        case Z_VERSION_ERROR:
            throw .zlibFailure("\(call): incompatible zlib version")
        default:
            throw .zlibFailure("\(call) returned \(code)" + (message(stream).map { ": \($0)" } ?? ""))
        }
    }

    private static func message(_ stream: z_stream) -> String? {
        stream.msg.map { String(cString: $0) }
    }
}
