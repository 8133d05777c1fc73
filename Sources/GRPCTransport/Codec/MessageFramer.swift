public import RPC
internal import GZip

/// Writes gRPC length-prefixed messages:
///
/// ```
/// +------------+----------------------------+-----------------+
/// | flag (1 B) | length (4 B, big-endian)   | payload         |
/// +------------+----------------------------+-----------------+
/// ```
///
/// The flag is 1 when the payload is compressed with the stream's `grpc-encoding`, 0 otherwise.
/// Frames are appended to a caller-owned buffer so a response can be built without copies.
public struct MessageFramer: Sendable {
    /// The encoding announced in this stream's `grpc-encoding` header; `.identity` never compresses.
    public var encoding: MessageEncoding

    /// Messages shorter than this are sent uncompressed even under gzip (the flag says so);
    /// gzip's ~20-byte header and trailer make tiny messages larger. 0 compresses everything.
    public var minimumCompressionSize: Int

    public init(encoding: MessageEncoding = .identity, minimumCompressionSize: Int = 0) {
        self.encoding = encoding
        self.minimumCompressionSize = minimumCompressionSize
    }

    /// The size of the length prefix.
    public static let prefixSize = 5

    /// Appends one framed message to `buffer`.
    ///
    /// - Parameter compress: whether this message may be compressed (gRPC lets the sender choose
    ///   per message); it is compressed only when also `encoding` is not `.identity` and the
    ///   message reaches `minimumCompressionSize`.
    /// - Throws: `RESOURCE_EXHAUSTED` if the (compressed) payload does not fit the 32-bit length,
    ///   `INTERNAL` if compression fails. `buffer` is unchanged on error.
    public func append(_ message: ArraySlice<UInt8>, into buffer: inout [UInt8], compress: Bool = true) throws(RPCError) {
        let start = buffer.count
        let shouldCompress = compress && encoding == .gzip && message.count >= minimumCompressionSize
        buffer.append(contentsOf: [shouldCompress ? 1 : 0, 0, 0, 0, 0] as [UInt8])
        if shouldCompress {
            do {
                try GZip.compress(message, appendingTo: &buffer)
            } catch {
                buffer.removeSubrange(start...)
                throw RPCError(.internal, "failed to compress a message with gzip: \(error)")
            }
        } else {
            buffer.append(contentsOf: message)
        }
        let length = buffer.count - start - Self.prefixSize
        guard length <= Int(UInt32.max) else {
            buffer.removeSubrange(start...)
            throw RPCError(.resourceExhausted, "message of \(length) bytes does not fit a gRPC frame (max \(UInt32.max))")
        }
        buffer[start + 1] = UInt8(truncatingIfNeeded: length >> 24)
        buffer[start + 2] = UInt8(truncatingIfNeeded: length >> 16)
        buffer[start + 3] = UInt8(truncatingIfNeeded: length >> 8)
        buffer[start + 4] = UInt8(truncatingIfNeeded: length)
    }

    /// Appends one framed message to `buffer` (see the `ArraySlice` overload).
    public func append(_ message: [UInt8], into buffer: inout [UInt8], compress: Bool = true) throws(RPCError) {
        try append(message[...], into: &buffer, compress: compress)
    }

    /// Appends one framed message from any byte collection (copied once into an array first
    /// unless it is contiguous; prefer the `[UInt8]` / `ArraySlice` overloads on hot paths).
    public func append(_ message: some Collection<UInt8>, into buffer: inout [UInt8], compress: Bool = true) throws(RPCError) {
        let bytes = message.withContiguousStorageIfAvailable { Array($0) } ?? Array(message)
        try append(bytes[...], into: &buffer, compress: compress)
    }

    /// One framed message in a new array.
    public func frame(_ message: [UInt8], compress: Bool = true) throws(RPCError) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(message.count + Self.prefixSize)
        try append(message[...], into: &buffer, compress: compress)
        return buffer
    }
}
