public import RPC
internal import GZip

/// Reads gRPC length-prefixed messages from a stream's DATA bytes, split any way.
///
/// A message may span several DATA frames, one frame may hold several messages, and a message may
/// be empty. Feed each chunk to ``process(_:into:)``; complete messages are appended to the
/// caller's array, already decompressed. Call ``finish()`` when the peer ends the stream.
///
/// Three kinds of bad input, each an `RPCError` (and the deframer stays failed afterwards):
/// - a declared length over `maxMessageSize` → `RESOURCE_EXHAUSTED`, detected from the 5-byte
///   prefix before any of the body is buffered; the same for a decompressed size over the limit;
/// - a compressed flag without a usable `grpc-encoding` (absent or `identity`: a protocol error),
///   a flag byte other than 0 or 1, or a gzip body that does not decompress → `INTERNAL`;
///   a compressed flag under an encoding we do not implement → `UNIMPLEMENTED`
///   (grpc `doc/compression.md`);
/// - the stream ending inside a message → `INTERNAL` from ``finish()``.
///
/// Fast path: when a chunk holds whole messages (the common unary case) the body is copied once,
/// straight from the chunk into the message; partial messages are assembled in an internal buffer.
public struct MessageDeframer: Sendable {
    /// How this stream's compressed messages are encoded, from its `grpc-encoding` header.
    private enum Decoder: Sendable {
        case none                  // no grpc-encoding header (or identity): flag 1 is an error
        case gzip
        case unsupported(String)
    }

    private enum State: Sendable {
        /// Reading the 5-byte prefix; `filled` bytes seen so far.
        case prefix(filled: Int, flag: UInt8, length: UInt32)
        /// Reading a body of `length` bytes into `body`.
        case body(flag: UInt8, length: Int, body: [UInt8])
        case failed(RPCError)
    }

    /// The largest message accepted, on the wire and after decompression.
    public let maxMessageSize: Int
    private let decoder: Decoder
    private var state: State = .prefix(filled: 0, flag: 0, length: 0)

    /// - Parameters:
    ///   - maxMessageSize: the receive limit (gRPC's default is 4 MiB).
    ///   - encoding: the stream's `grpc-encoding` header value, nil when absent.
    public init(maxMessageSize: Int, encoding: String? = nil) {
        precondition(maxMessageSize >= 0, "maxMessageSize must not be negative")
        self.maxMessageSize = maxMessageSize
        switch encoding.map({ MessageEncoding(headerValue: $0) }) {
        case nil, .identity?: self.decoder = .none
        case .gzip?: self.decoder = .gzip
        case .some(nil): self.decoder = .unsupported(encoding!)
        }
    }

    /// A deframer for a stream whose `grpc-encoding` is already parsed.
    public init(maxMessageSize: Int, encoding: MessageEncoding) {
        self.init(maxMessageSize: maxMessageSize, encoding: encoding == .identity ? nil : encoding.headerValue)
    }

    /// Whether bytes of an incomplete message are buffered.
    public var hasPartialMessage: Bool {
        switch state {
        case .prefix(let filled, _, _): filled > 0
        case .body: true
        case .failed: false
        }
    }

    /// Consumes `bytes`, appending every message they complete to `messages`.
    ///
    /// Messages completed before an error are still appended; the error is thrown after them.
    public mutating func process(
        _ bytes: ArraySlice<UInt8>, into messages: inout [ReceivedMessage]
    ) throws(RPCError) {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while true {
            switch state {
            case .failed(let error):
                throw error

            case .prefix(var filled, var flag, var length):
                if filled == 0 && end - index >= MessageFramer.prefixSize {
                    // Whole prefix in this chunk.
                    flag = bytes[index]
                    length = UInt32(bytes[index + 1]) << 24 | UInt32(bytes[index + 2]) << 16
                        | UInt32(bytes[index + 3]) << 8 | UInt32(bytes[index + 4])
                    index += MessageFramer.prefixSize
                } else {
                    while filled < MessageFramer.prefixSize && index < end {
                        if filled == 0 { flag = bytes[index] } else { length = length << 8 | UInt32(bytes[index]) }
                        filled += 1
                        index += 1
                    }
                    if filled < MessageFramer.prefixSize {
                        state = .prefix(filled: filled, flag: flag, length: length)
                        return
                    }
                }
                try checkPrefix(flag: flag, length: length)
                let size = Int(length)
                if end - index >= size {
                    // Whole body in this chunk (also the empty message at the end of a chunk).
                    state = .prefix(filled: 0, flag: 0, length: 0)
                    messages.append(try makeMessage(flag: flag, body: bytes[index..<(index + size)]))
                    index += size
                } else {
                    var body: [UInt8] = []
                    // Reserve what has arrived plus a window's worth, not the declared size: a
                    // peer could otherwise make us reserve the receive limit per stream for free.
                    body.reserveCapacity(min(size, max(end - index, 64 * 1024)))
                    body.append(contentsOf: bytes[index..<end])
                    index = end
                    state = .body(flag: flag, length: size, body: body)
                    return
                }
                if index == end { return }

            case .body(let flag, let length, var body):
                state = .prefix(filled: 0, flag: 0, length: 0)  // drop our reference: append in place
                let take = min(length - body.count, end - index)
                body.append(contentsOf: bytes[index..<(index + take)])
                index += take
                guard body.count == length else {
                    state = .body(flag: flag, length: length, body: body)
                    return
                }
                messages.append(try makeMessage(flag: flag, body: body[...]))
                if index == end { return }
            }
        }
    }

    /// Call when the peer ended the stream: throws `INTERNAL` if a message was cut short.
    public func finish() throws(RPCError) {
        switch state {
        case .failed(let error):
            throw error
        case .prefix(let filled, _, _) where filled > 0:
            throw RPCError(.internal, "stream ended in the middle of a message: received \(filled) of the 5-byte message prefix")
        case .body(_, let length, let body):
            throw RPCError(.internal, "stream ended in the middle of a message: received \(body.count) of \(length) bytes")
        case .prefix:
            return
        }
    }

    private mutating func checkPrefix(flag: UInt8, length: UInt32) throws(RPCError) {
        let error: RPCError
        if flag > 1 {
            error = RPCError(.internal, "invalid message prefix: compressed flag is \(flag), expected 0 or 1")
        } else if UInt64(length) > UInt64(maxMessageSize) {
            error = RPCError(.resourceExhausted, "received message larger than max (\(length) vs. \(maxMessageSize))")
        } else if flag == 1, case .none = decoder {
            error = RPCError(.internal, "received a compressed message but the stream declared no grpc-encoding (protocol error)")
        } else if flag == 1, case .unsupported(let name) = decoder {
            error = RPCError(
                .unimplemented,
                "message compressed with unsupported encoding '\(name)'; supported: \(MessageEncoding.acceptEncodingHeaderValue)")
        } else {
            return
        }
        state = .failed(error)
        throw error
    }

    private mutating func makeMessage(flag: UInt8, body: ArraySlice<UInt8>) throws(RPCError) -> ReceivedMessage {
        guard flag == 1 else { return ReceivedMessage(bytes: Array(body), wasCompressed: false) }
        var output: [UInt8] = []
        do {
            try GZip.decompress(body, limit: maxMessageSize, appendingTo: &output)
        } catch {
            let failure: RPCError
            switch error {
            case .tooLarge:
                failure = RPCError(
                    .resourceExhausted,
                    "received message larger than max after decompression (more than \(maxMessageSize) bytes)")
            case .corrupt, .zlibFailure:
                failure = RPCError(.internal, "could not decompress a gzip message: \(error)")
            }
            state = .failed(failure)
            throw failure
        }
        return ReceivedMessage(bytes: output, wasCompressed: true)
    }
}
