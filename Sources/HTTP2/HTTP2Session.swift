internal import CNGHTTP2

/// One HTTP/2 connection's protocol state over nghttp2, with no I/O (sans-I/O).
///
/// Feed it the bytes read from the peer with ``receive(_:events:)``; it reports what happened as
/// ``HTTP2Event``s. Take the bytes to write with ``drainOutput(into:events:)``. nghttp2 callbacks
/// only record events; the caller reacts after each call returns.
///
/// Flow control is manual (NGHTTP2_OPT_NO_AUTO_WINDOW_UPDATE): received DATA keeps occupying the
/// receive window until ``consume(stream:bytes:)``, so a slow reader slows the peer down.
/// Outbound data is queued per stream in Swift and handed to nghttp2 as the peer's windows allow.
///
/// Not thread-safe: one event-loop thread owns a session (nghttp2 requires single-threaded use).
public final class HTTP2Session {
    public let role: HTTP2Role
    public let settings: HTTP2Settings

    /// A stream's queued outbound bytes at or below this count trigger
    /// ``HTTP2Event/outboundDrained(stream:)`` when the queue was above it before.
    public var outboundLowWaterMark = 64 * 1024

    var session: OpaquePointer? = nil
    var pendingEvents: [HTTP2Event] = []
    var outbound: [Int32: OutboundQueue] = [:]
    /// Bytes queued on every stream and not yet handed to nghttp2 (the connection's backlog).
    public internal(set) var queuedOutboundBytes = 0
    /// Streams whose RST_STREAM waits for the frame that ends them (see `resetAfterQueuedFrames`).
    var resetsAfterEnd: [Int32: UInt32] = [:]

    // The header block being received (HEADERS + CONTINUATION are never interleaved).
    var headerStream: Int32 = 0
    var headerFields: [HeaderField] = []
    var headerBytes = 0
    /// Over `settings.maxHeaderListSize`: the block's fields are dropped, the block reported.
    var headerBlockTooLarge = false
    /// Over `settings.headerListCeiling`: the stream was reset, nothing more is reported.
    var headerBlockRefused = false
    /// The highest client stream id a HEADERS frame has been seen on (server role).
    var highestPeerStream: Int32 = 0
    /// The session terminated the connection itself (see `beginFrame`).
    var terminated = false
    /// Reuses the Strings of header fields that repeat from request to request.
    var headerStrings = HeaderStringCache()

    // Scratch space for building nghttp2_nv arrays (see withNameValues).
    var nvStorage: [UInt8] = []
    var nvLengths: [Int] = []
    var nvArray: [nghttp2_nv] = []

    /// Creates the session and queues the local SETTINGS (the client also queues its
    /// connection preface, sent by the first ``drainOutput(into:events:)``).
    public init(role: HTTP2Role, settings: HTTP2Settings = HTTP2Settings()) throws(HTTP2Error) {
        self.role = role
        self.settings = settings
        self.session = try makeSession()
        try submitInitialSettings()
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: Input

    /// Parses `bytes` from the peer and appends the resulting events. A thrown error is always
    /// fatal for the connection: drain any output (a GOAWAY may be queued), then close.
    public func receive(_ bytes: ArraySlice<UInt8>, events: inout [HTTP2Event]) throws(HTTP2Error) {
        let result = bytes.withUnsafeBufferPointer { buffer in
            nghttp2_session_mem_recv(session, buffer.baseAddress, buffer.count)
        }
        takeEvents(into: &events)
        try nghttp2Check(result, "nghttp2_session_mem_recv", fatal: true)
    }

    // MARK: Output

    /// Appends every frame nghttp2 is ready to send to `buffer`; events that happen while
    /// sending (streams closing, outbound queues draining) are appended to `events`.
    public func drainOutput(into buffer: inout [UInt8], events: inout [HTTP2Event]) throws(HTTP2Error) {
        while true {
            var data: UnsafePointer<UInt8>? = nil
            let length = nghttp2_session_mem_send(session, &data)
            if length < 0 {
                takeEvents(into: &events)
                try nghttp2Check(length, "nghttp2_session_mem_send", fatal: true)
            }
            if length == 0 { break }
            buffer.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
        }
        takeEvents(into: &events)
    }

    /// Whether the session still expects to read; false with ``wantsWrite`` false means close.
    public var wantsRead: Bool { nghttp2_session_want_read(session) != 0 }
    /// Whether the session has frames to send.
    public var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }

    // MARK: Server role

    /// Submits response headers. With `endStream` the response is complete (gRPC Trailers-Only);
    /// otherwise data and trailers follow through ``sendData(stream:bytes:endStream:)`` and
    /// ``submitTrailers(stream:headers:)``.
    /// A stream that nghttp2 has already closed (the client reset it in the same read that
    /// completed the request) is skipped: nothing is queued for it.
    public func submitResponse(stream: Int32, headers: [HeaderField], endStream: Bool) throws(HTTP2Error) {
        guard isStreamOpen(stream) else { return }
        let result: Int32
        if endStream {
            result = withNameValues(headers) { nva, count in
                nghttp2_submit_response(session, stream, nva, count, nil)
            }
        } else {
            var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: dataSourceRead)
            let queue = OutboundQueue()
            queue.providerAttached = true
            outbound[stream] = queue
            result = withNameValues(headers) { nva, count in
                nghttp2_submit_response(session, stream, nva, count, &provider)
            }
            if result < 0 { outbound[stream] = nil }
        }
        try nghttp2Check(result, "nghttp2_submit_response")
    }

    // MARK: Client role

    /// Opens a stream with these request headers and returns its id. Without `endStream`, the
    /// body follows through ``sendData(stream:bytes:endStream:)``.
    public func submitRequest(headers: [HeaderField], endStream: Bool) throws(HTTP2Error) -> Int32 {
        let result: Int32
        if endStream {
            result = withNameValues(headers) { nva, count in
                nghttp2_submit_request(session, nil, nva, count, nil, nil)
            }
        } else {
            var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: dataSourceRead)
            result = withNameValues(headers) { nva, count in
                nghttp2_submit_request(session, nil, nva, count, &provider, nil)
            }
            if result > 0 {
                let queue = OutboundQueue()
                queue.providerAttached = true
                outbound[result] = queue
            }
        }
        try nghttp2Check(result, "nghttp2_submit_request")
        return result
    }

    // MARK: Both roles

    /// Queues `bytes` on the stream (after its headers were submitted without END_STREAM).
    /// `endStream` ends the stream after these bytes (unless trailers are submitted instead).
    /// Data for a stream that is already closed or finished is dropped.
    public func sendData(stream: Int32, bytes: [UInt8], endStream: Bool) {
        guard let queue = outbound[stream], queue.providerAttached, !queue.finished else { return }
        queue.append(bytes)
        queuedOutboundBytes += bytes.count
        if endStream { queue.finished = true }
        let resume = queue.deferred && (!queue.isEmpty || queue.finished)
        if resume { queue.deferred = false }
        if resume { nghttp2_session_resume_data(session, stream) }
    }

    /// Queues trailers, sent after all queued data; this ends the stream.
    public func submitTrailers(stream: Int32, headers: [HeaderField]) {
        guard let queue = outbound[stream], queue.providerAttached, !queue.finished else { return }
        queue.finished = true
        queue.trailers = headers
        let resume = queue.deferred
        queue.deferred = false
        if resume { nghttp2_session_resume_data(session, stream) }
    }

    /// Bytes queued on the stream that nghttp2 has not taken yet (flow control holds them back).
    public func bufferedOutboundBytes(stream: Int32) -> Int {
        outbound[stream]?.count ?? 0
    }

    /// Bytes of the stream's queue nghttp2 has taken so far; unchanged over time while the peer
    /// reads nothing (its window stays closed).
    public func takenOutboundBytes(stream: Int32) -> Int {
        outbound[stream]?.taken ?? 0
    }

    /// Drops a stream's queue, keeping ``queuedOutboundBytes`` true.
    func dropOutbound(_ stream: Int32) {
        if let queue = outbound.removeValue(forKey: stream) { queuedOutboundBytes -= queue.count }
    }

    /// Whether the stream is open or half-closed (nghttp2 keeps closed streams around for a
    /// while: those are not open).
    public func isStreamOpen(_ stream: Int32) -> Bool {
        guard let handle = nghttp2_session_find_stream(session, stream) else { return false }
        return nghttp2_stream_get_state(handle) != NGHTTP2_STREAM_STATE_CLOSED
    }

    /// Sends RST_STREAM with `errorCode` once everything already queued on the stream (data,
    /// then trailers) has been handed to nghttp2, so the peer gets the whole response first;
    /// at once when nothing is pending. Servers use it to stop a client that is still sending
    /// after the response is complete (RFC 9113 section 8.1).
    public func resetAfterQueuedFrames(_ stream: Int32, errorCode: UInt32) {
        guard isStreamOpen(stream) else { return }
        // Submitting RST_STREAM while data or trailers are queued would make nghttp2 drop them
        // (it marks the stream closing at once): `frameSent` sends it once the end has left.
        if let queue = outbound[stream], queue.providerAttached, !queue.endSent {
            resetsAfterEnd[stream] = errorCode
            return
        }
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, errorCode)
    }

    /// Sends RST_STREAM with `errorCode` (see ``HTTP2ErrorCode``); queued data is dropped.
    public func resetStream(_ stream: Int32, errorCode: UInt32) {
        dropOutbound(stream)
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, errorCode)
    }

    /// Reports `bytes` of received DATA as processed, reopening the stream and connection
    /// windows (nghttp2 sends WINDOW_UPDATE once enough is consumed). For a stream that is
    /// already closed only the connection window is reopened.
    public func consume(stream: Int32, bytes: Int) {
        guard bytes > 0 else { return }
        if nghttp2_session_consume(session, stream, bytes) != 0 {
            nghttp2_session_consume_connection(session, bytes)
        }
    }

    /// Reports `bytes` of received DATA as processed for the connection window only: the
    /// stream's window stays as it is (for a stream whose data is discarded, such as a
    /// request refused at its headers, which must not be invited to send more).
    public func consumeConnectionOnly(bytes: Int) {
        guard bytes > 0 else { return }
        nghttp2_session_consume_connection(session, bytes)
    }

    /// Server: the first GOAWAY of a graceful shutdown (last stream id 2^31-1): the client
    /// stops opening streams; follow with ``submitGoAway(errorCode:debug:)`` after one RTT.
    public func submitShutdownNotice() {
        if role == .server { nghttp2_submit_shutdown_notice(session) }
    }

    /// Sends GOAWAY with the last stream id processed; streams above it are not served.
    public func submitGoAway(errorCode: UInt32, debug: String = "") {
        var text = Array(debug.utf8)
        let last = nghttp2_session_get_last_proc_stream_id(session)
        text.withUnsafeMutableBufferPointer { buffer in
            _ = nghttp2_submit_goaway(
                session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, errorCode, buffer.baseAddress, buffer.count)
        }
    }

    /// Sends a PING (nghttp2 answers the peer's pings itself).
    public func submitPing() {
        nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    /// How many bytes of DATA the peer lets us send on `stream` now (its flow-control window,
    /// limited by the connection's); nil for a stream nghttp2 does not know.
    public func remoteWindowSize(stream: Int32) -> Int? {
        let size = nghttp2_session_get_stream_remote_window_size(session, stream)
        return size < 0 ? nil : Int(size)
    }

    /// The highest peer-initiated stream id the session has processed.
    public var lastProcessedStream: Int32 { nghttp2_session_get_last_proc_stream_id(session) }

    // MARK: Internals

    func takeEvents(into events: inout [HTTP2Event]) {
        guard !pendingEvents.isEmpty else { return }
        if events.isEmpty {
            swap(&events, &pendingEvents)
        } else {
            events.append(contentsOf: pendingEvents)
            pendingEvents.removeAll(keepingCapacity: true)
        }
    }

    private func submitInitialSettings() throws(HTTP2Error) {
        var entries: [nghttp2_settings_entry] = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: settings.maxConcurrentStreams),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: settings.initialWindowSize),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: settings.maxHeaderListSize),
        ]
        if settings.maxFrameSize != 16384 {
            entries.append(
                nghttp2_settings_entry(
                    settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue), value: settings.maxFrameSize))
        }
        if role == .client {
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0))
        }
        let result = entries.withUnsafeBufferPointer { buffer in
            nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), buffer.baseAddress, buffer.count)
        }
        try nghttp2Check(result, "nghttp2_submit_settings")
        if settings.connectionWindowSize > 65535 {
            let window = Int32(clamping: settings.connectionWindowSize)
            try nghttp2Check(
                nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, window),
                "nghttp2_session_set_local_window_size")
        }
    }

    /// Calls `body` with an nghttp2_nv array pointing into one contiguous copy of the
    /// headers' bytes (nghttp2 copies them during the submit call, so the scratch buffers are
    /// reused from call to call: no allocation per request once they have grown).
    func withNameValues<R>(_ headers: [HeaderField], _ body: (UnsafePointer<nghttp2_nv>?, Int) -> R) -> R {
        nvStorage.removeAll(keepingCapacity: true)
        nvLengths.removeAll(keepingCapacity: true)
        for field in headers {
            let nameStart = nvStorage.count
            nvStorage.append(contentsOf: field.name.utf8)
            let valueStart = nvStorage.count
            nvStorage.append(contentsOf: field.value.utf8)
            nvLengths.append(valueStart - nameStart)
            nvLengths.append(nvStorage.count - valueStart)
        }
        nvStorage.append(0)
        nvArray.removeAll(keepingCapacity: true)
        return nvStorage.withUnsafeMutableBufferPointer { bytes in
            guard var cursor = bytes.baseAddress else { return body(nil, 0) }
            var index = 0
            while index < nvLengths.count {
                let nameLength = nvLengths[index]
                let valueLength = nvLengths[index + 1]
                nvArray.append(
                    nghttp2_nv(
                        name: cursor, value: cursor + nameLength, namelen: nameLength, valuelen: valueLength,
                        flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
                cursor += nameLength + valueLength
                index += 2
            }
            return nvArray.withUnsafeBufferPointer { nvBuffer in
                body(nvBuffer.baseAddress, nvBuffer.count)
            }
        }
    }
}
