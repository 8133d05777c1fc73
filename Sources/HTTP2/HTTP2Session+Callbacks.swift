internal import CNGHTTP2

// nghttp2 callbacks. Each is a file-private C function that recovers the HTTP2Session from
// user_data (passed unretained: the session owns the nghttp2_session and outlives it) and calls
// one Swift method. The methods only record events or copy queued bytes; they never call
// nghttp2_session_mem_recv/mem_send.

extension HTTP2Session {
    func makeSession() throws(HTTP2Error) -> OpaquePointer {
        var callbacks: OpaquePointer? = nil
        try nghttp2Check(nghttp2_session_callbacks_new(&callbacks), "nghttp2_session_callbacks_new")
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameReceive)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunk)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, onFrameSend)
        nghttp2_session_callbacks_set_on_invalid_header_callback2(callbacks, onInvalidHeader)
        if role == .server { nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks, onBeginFrame) }

        var option: OpaquePointer? = nil
        try nghttp2Check(nghttp2_option_new(&option), "nghttp2_option_new")
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_auto_window_update(option, 1)
        nghttp2_option_set_max_send_header_block_length(option, 64 * 1024)
        // nghttp2's own RST_STREAM rate limit (default 1,000 then 33/s, answered with GOAWAY
        // INTERNAL_ERROR) is only a backstop here: the server bounds streams reset before their
        // response itself (ENHANCE_YOUR_CALM, GRPCTransport's StreamResetBudget).
        nghttp2_option_set_stream_reset_rate_limit(option, 10_000, 1_000)

        var created: OpaquePointer? = nil
        let userData = Unmanaged.passUnretained(self).toOpaque()
        switch role {
        case .server:
            try nghttp2Check(
                nghttp2_session_server_new2(&created, callbacks, userData, option), "nghttp2_session_server_new2")
        case .client:
            try nghttp2Check(
                nghttp2_session_client_new2(&created, callbacks, userData, option), "nghttp2_session_client_new2")
        }
        return created!
    }

    // MARK: Swift side of the callbacks

    /// Server: a frame header arrived. RFC 9113 §5.1.1: a HEADERS frame that would open a
    /// client stream with an id lower than one the client already used is a connection error.
    /// nghttp2 1.52 only catches this for streams it still remembers; it ignores the frame when
    /// it has forgotten the stream (or never saw it), so the session terminates it here.
    fileprivate func beginFrame(type: UInt8, stream: Int32) {
        guard UInt32(type) == NGHTTP2_HEADERS.rawValue, stream & 1 == 1, !terminated else { return }
        if stream > highestPeerStream {
            highestPeerStream = stream
        } else if stream < highestPeerStream && nghttp2_session_find_stream(session, stream) == nil {
            terminated = true
            nghttp2_session_terminate_session(session, HTTP2ErrorCode.protocolError)
            pendingEvents.append(
                .connectionError(
                    errorCode: HTTP2ErrorCode.protocolError,
                    reason: "HEADERS on stream \(stream), lower than stream \(highestPeerStream) that the client already "
                        + "opened (RFC 9113 §5.1.1)"))
        }
    }

    fileprivate func beginHeaders(stream: Int32) {
        headerStream = stream
        headerFields.removeAll(keepingCapacity: true)
        headerBytes = 0
        headerBlockTooLarge = false
        headerBlockRefused = false
    }

    fileprivate func header(stream: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Int32 {
        if headerBlockRefused { return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue }
        headerBytes += name.count + value.count + 32
        if headerBytes > settings.headerListCeiling {
            // Not worth an answer: nghttp2 resets the stream (RST_STREAM INTERNAL_ERROR) and
            // decodes the rest of the block without calling back.
            headerBlockRefused = true
            headerFields.removeAll(keepingCapacity: false)
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
        }
        if headerBytes > Int(settings.maxHeaderListSize) {
            // Keep decoding (the HPACK context must stay in sync) but keep nothing; the block is
            // reported as oversized when it ends.
            if !headerBlockTooLarge {
                headerBlockTooLarge = true
                headerFields.removeAll(keepingCapacity: false)
            }
            return 0
        }
        headerFields.append(headerStrings.field(name: name, value: value))
        return 0
    }

    /// nghttp2 found a field that breaks RFC 9113 §8.2.1: report its name and what is wrong
    /// (never the value), and have the stream reset (PROTOCOL_ERROR).
    fileprivate func invalidHeader(stream: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Int32 {
        pendingEvents.append(
            .malformedHeader(
                stream: stream, name: MalformedHeader.printableName(name),
                reason: MalformedHeader.reason(name: name, value: value)))
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
    }

    fileprivate func frameReceived(type: UInt8, flags: UInt8, stream: Int32, goAway: (Int32, UInt32)?) {
        let endStream = flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(type) {
        case NGHTTP2_HEADERS.rawValue:
            guard stream == headerStream, !headerBlockRefused else { return }
            if headerBlockTooLarge {
                pendingEvents.append(.oversizedHeaders(stream: stream, size: headerBytes, endStream: endStream))
                return
            }
            let fields = headerFields
            headerFields = []
            headerFields.reserveCapacity(Swift.max(fields.count, 8))  // one allocation per block, not log2(n)
            pendingEvents.append(.headers(stream: stream, fields: fields, endStream: endStream))
        case NGHTTP2_DATA.rawValue:
            if endStream { pendingEvents.append(.endStream(stream: stream)) }
        case NGHTTP2_GOAWAY.rawValue:
            if let goAway { pendingEvents.append(.goAway(lastStream: goAway.0, errorCode: goAway.1)) }
        default:
            break
        }
    }

    fileprivate func dataChunk(stream: Int32, bytes: UnsafeBufferPointer<UInt8>) {
        pendingEvents.append(.data(stream: stream, bytes: Array(bytes)))
    }

    fileprivate func streamClosed(stream: Int32, errorCode: UInt32) {
        dropOutbound(stream)
        if !resetsAfterEnd.isEmpty { resetsAfterEnd[stream] = nil }
        pendingEvents.append(.streamClosed(stream: stream, errorCode: errorCode))
    }

    /// The data source read callback: copy queued bytes, defer when the queue is empty and
    /// the stream is not finished, and end with EOF (+ NO_END_STREAM and trailers if any).
    fileprivate func readData(
        stream: Int32, into buffer: UnsafeMutablePointer<UInt8>, length: Int, flags: UnsafeMutablePointer<UInt32>
    ) -> Int {
        guard let queue = outbound[stream] else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        let before = queue.count
        let copied = queue.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: length), max: length)
        queuedOutboundBytes -= copied
        if queue.isEmpty {
            if !queue.finished {
                if copied == 0 {
                    queue.deferred = true
                    return Int(NGHTTP2_ERR_DEFERRED.rawValue)
                }
            } else {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                if let trailers = queue.trailers {
                    flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                    queue.trailers = nil
                    submitTrailerNow(stream: stream, trailers)
                }
            }
        }
        if before > outboundLowWaterMark && queue.count <= outboundLowWaterMark {
            pendingEvents.append(.outboundDrained(stream: stream))
        }
        return copied
    }

    /// A frame left the session: after the frame that ends a stream (DATA or trailers with
    /// END_STREAM), send the reset that was waiting for it.
    fileprivate func frameSent(stream: Int32, endsStream: Bool) {
        guard endsStream else { return }
        outbound[stream]?.endSent = true
        guard !resetsAfterEnd.isEmpty, let code = resetsAfterEnd.removeValue(forKey: stream) else { return }
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, code)
    }

    private func submitTrailerNow(stream: Int32, _ trailers: [HeaderField]) {
        _ = withNameValues(trailers) { nva, count in
            nghttp2_submit_trailer(session, stream, nva, count)
        }
    }
}

// MARK: C trampolines

/// Calls `body` with the session behind `user_data` without retaining it: the session
/// owns the nghttp2_session, so it is alive for the whole callback.
@inline(__always)
private func withOwner<R>(_ userData: UnsafeMutableRawPointer?, _ body: (HTTP2Session) -> R) -> R {
    Unmanaged<HTTP2Session>.fromOpaque(userData!)._withUnsafeGuaranteedRef(body)
}

private let onBeginHeaders: nghttp2_on_begin_headers_callback = { _, frame, userData in
    guard let frame else { return 0 }
    withOwner(userData) { $0.beginHeaders(stream: frame.pointee.hd.stream_id) }
    return 0
}

private let onHeader: nghttp2_on_header_callback = { _, frame, name, nameLength, value, valueLength, _, userData in
    guard let frame else { return 0 }
    return withOwner(userData) {
        $0.header(
            stream: frame.pointee.hd.stream_id,
            name: UnsafeBufferPointer(start: name, count: nameLength),
            value: UnsafeBufferPointer(start: value, count: valueLength))
    }
}

private let onBeginFrame: nghttp2_on_begin_frame_callback = { _, hd, userData in
    guard let hd else { return 0 }
    withOwner(userData) { $0.beginFrame(type: hd.pointee.type, stream: hd.pointee.stream_id) }
    return 0
}

private let onInvalidHeader: nghttp2_on_invalid_header_callback2 = { _, frame, name, value, _, userData in
    guard let frame else { return 0 }
    let nameBytes = nghttp2_rcbuf_get_buf(name)
    let valueBytes = nghttp2_rcbuf_get_buf(value)
    return withOwner(userData) {
        $0.invalidHeader(
            stream: frame.pointee.hd.stream_id,
            name: UnsafeBufferPointer(start: nameBytes.base, count: nameBytes.len),
            value: UnsafeBufferPointer(start: valueBytes.base, count: valueBytes.len))
    }
}

private let onFrameReceive: nghttp2_on_frame_recv_callback = { _, frame, userData in
    guard let frame else { return 0 }
    let hd = frame.pointee.hd
    var goAway: (Int32, UInt32)? = nil
    if UInt32(hd.type) == NGHTTP2_GOAWAY.rawValue {
        goAway = (frame.pointee.goaway.last_stream_id, frame.pointee.goaway.error_code)
    }
    withOwner(userData) { $0.frameReceived(type: hd.type, flags: hd.flags, stream: hd.stream_id, goAway: goAway) }
    return 0
}

private let onDataChunk: nghttp2_on_data_chunk_recv_callback = { _, _, stream, data, length, userData in
    withOwner(userData) { $0.dataChunk(stream: stream, bytes: UnsafeBufferPointer(start: data, count: length)) }
    return 0
}

private let onFrameSend: nghttp2_on_frame_send_callback = { _, frame, userData in
    guard let frame else { return 0 }
    let hd = frame.pointee.hd
    let endsStream = hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        && (UInt32(hd.type) == NGHTTP2_DATA.rawValue || UInt32(hd.type) == NGHTTP2_HEADERS.rawValue)
    if endsStream { withOwner(userData) { $0.frameSent(stream: hd.stream_id, endsStream: true) } }
    return 0
}

private let onStreamClose: nghttp2_on_stream_close_callback = { _, stream, errorCode, userData in
    withOwner(userData) { $0.streamClosed(stream: stream, errorCode: errorCode) }
    return 0
}

let dataSourceRead: nghttp2_data_source_read_callback = { _, stream, buffer, length, flags, _, userData in
    guard let buffer, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
    return withOwner(userData) { $0.readData(stream: stream, into: buffer, length: length, flags: flags) }
}
