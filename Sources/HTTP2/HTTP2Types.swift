/// One HTTP/2 header field. Names are lower-case on the wire (HTTP/2 requires it).
public struct HeaderField: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): \(value)" }
}

/// Which end of the connection a session plays.
public enum HTTP2Role: Sendable {
    case client
    case server
}

/// The local SETTINGS a session announces, plus the connection-level receive window.
public struct HTTP2Settings: Sendable, Hashable {
    /// Streams the peer may open at once; nghttp2 refuses extra ones with RST_STREAM(REFUSED_STREAM).
    public var maxConcurrentStreams: UInt32 = 100
    /// The per-stream receive window (SETTINGS_INITIAL_WINDOW_SIZE).
    public var initialWindowSize: UInt32 = 1 << 20
    /// The largest header block accepted (RFC 9113 accounting: name + value + 32 per field).
    /// A bigger block is decoded but not kept: ``HTTP2Event/oversizedHeaders(stream:size:endStream:)``
    /// reports it, so the caller can answer with a status. Past ``headerListCeiling`` the stream
    /// is reset (RST_STREAM INTERNAL_ERROR) without more work.
    public var maxHeaderListSize: UInt32 = 16384
    /// SETTINGS_MAX_FRAME_SIZE (16 KiB ... 16 MiB - 1).
    public var maxFrameSize: UInt32 = 16384
    /// The connection-level receive window (all streams together).
    public var connectionWindowSize: UInt32 = 16 << 20

    public init(
        maxConcurrentStreams: UInt32 = 100, initialWindowSize: UInt32 = 1 << 20, maxHeaderListSize: UInt32 = 16384,
        maxFrameSize: UInt32 = 16384, connectionWindowSize: UInt32 = 16 << 20
    ) {
        self.maxConcurrentStreams = maxConcurrentStreams
        self.initialWindowSize = initialWindowSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxFrameSize = maxFrameSize
        self.connectionWindowSize = connectionWindowSize
    }

    /// The size (same accounting) past which a header block is not even reported: 4x
    /// ``maxHeaderListSize``, at least 64 KiB. Its stream is reset and the rest of the block is
    /// only decoded (HPACK state must stay in sync), so a CONTINUATION flood costs nothing more.
    public var headerListCeiling: Int { Swift.max(4 * Int(maxHeaderListSize), 64 * 1024) }
}

/// What the peer did, as seen by ``HTTP2Session/receive(_:events:)`` and
/// ``HTTP2Session/drainOutput(into:events:)``.
public enum HTTP2Event: Sendable, Equatable {
    /// A complete header block: request or response headers, or trailers. `endStream` is true
    /// when the HEADERS frame carried END_STREAM; no separate ``endStream(stream:)`` follows then.
    case headers(stream: Int32, fields: [HeaderField], endStream: Bool)
    /// One DATA chunk. Its bytes count against the receive window until
    /// ``HTTP2Session/consume(stream:bytes:)`` is called.
    case data(stream: Int32, bytes: [UInt8])
    /// The peer half-closed the stream with a DATA frame carrying END_STREAM.
    case endStream(stream: Int32)
    /// The stream is gone: 0 (NO_ERROR) when it completed, else the RST_STREAM error code.
    case streamClosed(stream: Int32, errorCode: UInt32)
    /// The peer sent GOAWAY.
    case goAway(lastStream: Int32, errorCode: UInt32)
    /// The stream's queued outbound bytes fell to the low-water mark or below.
    case outboundDrained(stream: Int32)
    /// A header block (headers or trailers) was bigger than ``HTTP2Settings/maxHeaderListSize``:
    /// it was decoded but its fields were dropped. `size` is what was counted (name + value + 32
    /// per field, RFC 9113 §6.5.2) up to the end of the block. The stream is still open: answer
    /// it (a status) or reset it. `endStream` as for ``headers(stream:fields:endStream:)``.
    case oversizedHeaders(stream: Int32, size: Int, endStream: Bool)
    /// A header field broke RFC 9113 §8.2.1 (bad characters in its name, whitespace around or
    /// control characters in its value); nghttp2 resets the stream with PROTOCOL_ERROR.
    /// `name` is the field name made printable (at most 64 characters); the value is never kept.
    case malformedHeader(stream: Int32, name: String, reason: String)
    /// The session found a connection error in the peer's input that nghttp2 itself lets pass
    /// (e.g. RFC 9113 §5.1.1) and queued GOAWAY(`errorCode`); it stops reading and closes once
    /// that is sent. `reason` is for a person.
    case connectionError(errorCode: UInt32, reason: String)
}

/// HTTP/2 error codes (RFC 9113 section 7) used by callers.
public enum HTTP2ErrorCode {
    public static let noError: UInt32 = 0x0
    public static let protocolError: UInt32 = 0x1
    public static let internalError: UInt32 = 0x2
    public static let flowControlError: UInt32 = 0x3
    public static let settingsTimeout: UInt32 = 0x4
    public static let streamClosed: UInt32 = 0x5
    public static let frameSizeError: UInt32 = 0x6
    public static let refusedStream: UInt32 = 0x7
    public static let cancel: UInt32 = 0x8
    public static let compressionError: UInt32 = 0x9
    public static let connectError: UInt32 = 0xa
    public static let enhanceYourCalm: UInt32 = 0xb
    public static let inadequateSecurity: UInt32 = 0xc
    public static let http11Required: UInt32 = 0xd
}
