import HTTP2
import Testing

@Suite struct HTTP2SessionTests {
    @Test func headersDataAndTrailersBothWays() throws {
        let pair = try SessionPair()
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: false)
        pair.client.sendData(stream: stream, bytes: [1, 2, 3], endStream: false)
        pair.client.sendData(stream: stream, bytes: [4, 5], endStream: true)
        try pair.shuttle()

        let requests = SessionPair.headerBlocks(pair.serverEvents, stream: stream)
        #expect(requests.count == 1)
        #expect(requests.first?.fields.first { $0.name == ":path" }?.value == "/pkg.Svc/Method")
        #expect(requests.first?.endStream == false)
        #expect(SessionPair.data(pair.serverEvents, stream: stream) == [1, 2, 3, 4, 5])
        #expect(SessionPair.ended(pair.serverEvents, stream: stream))

        try pair.server.submitResponse(
            stream: stream, headers: [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")],
            endStream: false)
        pair.server.sendData(stream: stream, bytes: Array(repeating: 7, count: 100), endStream: false)
        pair.server.submitTrailers(stream: stream, headers: [HeaderField("grpc-status", "0")])
        try pair.shuttle()

        let blocks = SessionPair.headerBlocks(pair.clientEvents, stream: stream)
        #expect(blocks.count == 2)
        #expect(blocks.first?.fields.first?.value == "200")
        #expect(blocks.last?.fields == [HeaderField("grpc-status", "0")])
        #expect(blocks.last?.endStream == true)
        #expect(SessionPair.data(pair.clientEvents, stream: stream) == Array(repeating: 7, count: 100))
        #expect(SessionPair.closed(pair.clientEvents, stream: stream) == 0)
        #expect(SessionPair.closed(pair.serverEvents, stream: stream) == 0)
    }

    @Test func trailersOnlyResponse() throws {
        let pair = try SessionPair()
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: true)
        try pair.shuttle()
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: stream).first?.endStream == true)
        try pair.server.submitResponse(
            stream: stream, headers: [HeaderField(":status", "200"), HeaderField("grpc-status", "12")], endStream: true)
        try pair.shuttle()
        let blocks = SessionPair.headerBlocks(pair.clientEvents, stream: stream)
        #expect(blocks.count == 1)
        #expect(blocks.first?.endStream == true)
        #expect(blocks.first?.fields.contains(HeaderField("grpc-status", "12")) == true)
        #expect(SessionPair.closed(pair.serverEvents, stream: stream) == 0)
    }

    @Test func trailersWithoutDataAfterDeferral() throws {
        let pair = try SessionPair()
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: true)
        try pair.shuttle()
        try pair.server.submitResponse(stream: stream, headers: [HeaderField(":status", "200")], endStream: false)
        try pair.shuttle()  // the data provider defers: nothing queued yet
        #expect(SessionPair.headerBlocks(pair.clientEvents, stream: stream).count == 1)
        pair.server.submitTrailers(stream: stream, headers: [HeaderField("grpc-status", "0")])
        try pair.shuttle()
        let blocks = SessionPair.headerBlocks(pair.clientEvents, stream: stream)
        #expect(blocks.count == 2)
        #expect(blocks.last?.endStream == true)
        #expect(SessionPair.closed(pair.clientEvents, stream: stream) == 0)
    }

    @Test func manyStreamsInterleaved() throws {
        let pair = try SessionPair()
        var streams: [Int32] = []
        for index in 0..<50 {
            let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: false)
            pair.client.sendData(stream: stream, bytes: [UInt8(index)], endStream: true)
            streams.append(stream)
        }
        try pair.shuttle()
        for (index, stream) in streams.enumerated() {
            #expect(SessionPair.data(pair.serverEvents, stream: stream) == [UInt8(index)])
            try pair.server.submitResponse(stream: stream, headers: [HeaderField(":status", "200")], endStream: false)
            pair.server.sendData(stream: stream, bytes: [UInt8(index), 9], endStream: false)
            pair.server.submitTrailers(stream: stream, headers: [HeaderField("grpc-status", "0")])
        }
        try pair.shuttle()
        for (index, stream) in streams.enumerated() {
            #expect(SessionPair.data(pair.clientEvents, stream: stream) == [UInt8(index), 9])
            #expect(SessionPair.closed(pair.clientEvents, stream: stream) == 0)
        }
    }

    @Test func extraStreamsAreRefused() throws {
        let pair = try SessionPair(server: HTTP2Settings(maxConcurrentStreams: 2))
        // Submitted before the client has seen the server's SETTINGS, so all five go out.
        var streams: [Int32] = []
        for _ in 0..<5 { streams.append(try pair.client.submitRequest(headers: requestHeaders, endStream: false)) }
        try pair.shuttle()
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: streams[0]).count == 1)
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: streams[1]).count == 1)
        for stream in streams[2...] {
            #expect(SessionPair.headerBlocks(pair.serverEvents, stream: stream).isEmpty)
            #expect(SessionPair.closed(pair.clientEvents, stream: stream) == HTTP2ErrorCode.refusedStream)
        }
        // Once a slot frees, the (now informed) client can open another stream.
        pair.server.resetStream(streams[0], errorCode: HTTP2ErrorCode.cancel)
        try pair.shuttle()
        let next = try pair.client.submitRequest(headers: requestHeaders, endStream: true)
        try pair.shuttle()
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: next).count == 1)
    }

    @Test func flowControlStallsAndResumesOnConsume() throws {
        let window: UInt32 = 65535
        let pair = try SessionPair(
            server: HTTP2Settings(initialWindowSize: window, connectionWindowSize: 65535))
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: false)
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        pair.client.sendData(stream: stream, bytes: body, endStream: true)
        try pair.shuttle()
        var received = SessionPair.data(pair.serverEvents, stream: stream)
        #expect(received.count == Int(window))
        #expect(pair.client.bufferedOutboundBytes(stream: stream) == body.count - Int(window))
        #expect(!SessionPair.ended(pair.serverEvents, stream: stream))

        // Consume what arrived, a window at a time, until the whole body is through.
        var consumed = 0
        for _ in 0..<20 where !SessionPair.ended(pair.serverEvents, stream: stream) {
            received = SessionPair.data(pair.serverEvents, stream: stream)
            pair.server.consume(stream: stream, bytes: received.count - consumed)
            consumed = received.count
            try pair.shuttle()
        }
        #expect(SessionPair.data(pair.serverEvents, stream: stream) == body)
        #expect(SessionPair.ended(pair.serverEvents, stream: stream))
        #expect(pair.client.clientEvents(containDrainFor: stream, in: pair.clientEvents))
    }

    @Test func clientResetReachesServer() throws {
        let pair = try SessionPair()
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: false)
        try pair.shuttle()
        pair.client.resetStream(stream, errorCode: HTTP2ErrorCode.cancel)
        try pair.shuttle()
        #expect(SessionPair.closed(pair.serverEvents, stream: stream) == HTTP2ErrorCode.cancel)
        #expect(SessionPair.closed(pair.clientEvents, stream: stream) == HTTP2ErrorCode.cancel)
    }

    @Test func serverResetReachesClientAndDropsQueuedData() throws {
        let pair = try SessionPair()
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: true)
        try pair.shuttle()
        try pair.server.submitResponse(stream: stream, headers: [HeaderField(":status", "200")], endStream: false)
        pair.server.sendData(stream: stream, bytes: [1, 2, 3], endStream: false)
        pair.server.resetStream(stream, errorCode: HTTP2ErrorCode.internalError)
        #expect(pair.server.bufferedOutboundBytes(stream: stream) == 0)
        try pair.shuttle()
        #expect(SessionPair.closed(pair.clientEvents, stream: stream) == HTTP2ErrorCode.internalError)
        #expect(SessionPair.data(pair.clientEvents, stream: stream).isEmpty)
    }

    @Test func oversizedHeaderBlockIsReportedAndDecoded() throws {
        let pair = try SessionPair(server: HTTP2Settings(maxHeaderListSize: 1024))
        try pair.shuttle()
        let bigField = HeaderField("x-big", String(repeating: "a", count: 2000))
        let big = try pair.client.submitRequest(headers: requestHeaders + [bigField], endStream: true)
        let small = try pair.client.submitRequest(headers: requestHeaders + [HeaderField("x-small", "1")], endStream: true)
        try pair.shuttle()
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: big).isEmpty)
        let size = requestHeaders.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 } + 5 + 2000 + 32
        #expect(pair.serverEvents.contains(.oversizedHeaders(stream: big, size: size, endStream: true)))
        // The stream stays open for the caller to answer; the HPACK context stayed in sync.
        #expect(pair.server.isStreamOpen(big))
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: small).first?.fields.last == HeaderField("x-small", "1"))
        try pair.server.submitResponse(stream: big, headers: [HeaderField(":status", "200")], endStream: true)
        try pair.shuttle()
        #expect(SessionPair.closed(pair.clientEvents, stream: big) == HTTP2ErrorCode.noError)
    }

    @Test func headerBlockPastTheCeilingResetsOnlyThatStream() throws {
        // Many small fields: a small encoded block (nghttp2 sends at most 64 KiB) that counts
        // past the 64 KiB ceiling (32 bytes of overhead per field).
        let pair = try SessionPair(server: HTTP2Settings(maxHeaderListSize: 1024))
        try pair.shuttle()
        let many = (0..<2100).map { HeaderField("x-\($0)", "v") }
        let big = try pair.client.submitRequest(headers: requestHeaders + many, endStream: true)
        let small = try pair.client.submitRequest(headers: requestHeaders, endStream: true)
        try pair.shuttle()
        #expect(!pair.serverEvents.contains { if case .oversizedHeaders = $0 { true } else { false } })
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: big).isEmpty)
        #expect(SessionPair.closed(pair.clientEvents, stream: big) == HTTP2ErrorCode.internalError)
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: small).count == 1)
    }

    @Test(arguments: [
        ("authorization", "Bearer token ", "value has leading or trailing whitespace"),
        ("x-tab", "\tvalue", "value has leading or trailing whitespace"),
        ("x-ctl", "a\u{1}b", "value contains a control character"),
        ("x-newline", "a\nb", "value contains a control character"),
        ("x foo", "v", "name has upper-case or invalid characters"),
    ])
    func malformedHeaderIsReportedByNameAndTheStreamReset(name: String, value: String, reason: String) throws {
        let pair = try SessionPair()
        try pair.shuttle()
        let stream = try pair.client.submitRequest(headers: requestHeaders + [HeaderField(name, value)], endStream: true)
        try pair.shuttle()
        #expect(pair.serverEvents.contains(.malformedHeader(stream: stream, name: name.replacingSpaces, reason: reason)))
        #expect(SessionPair.headerBlocks(pair.serverEvents, stream: stream).isEmpty)
        #expect(SessionPair.closed(pair.serverEvents, stream: stream) == HTTP2ErrorCode.protocolError)
        #expect(SessionPair.closed(pair.clientEvents, stream: stream) == HTTP2ErrorCode.protocolError)
    }

    @Test func goAwayIsReported() throws {
        let pair = try SessionPair()
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: true)
        try pair.shuttle()
        pair.server.submitShutdownNotice()
        try pair.shuttle()
        pair.server.submitGoAway(errorCode: HTTP2ErrorCode.noError, debug: "draining")
        try pair.shuttle()
        let goAways = pair.clientEvents.compactMap { event -> Int32? in
            if case .goAway(let last, _) = event { return last }
            return nil
        }
        #expect(goAways == [Int32.max, stream])
    }

    @Test func garbageInputIsFatal() throws {
        let server = try HTTP2Session(role: .server)
        var events: [HTTP2Event] = []
        #expect(throws: HTTP2Error.self) {
            try server.receive(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)[...], events: &events)
        }
    }
}

extension String {
    /// How a malformed-header report prints a name: bytes outside printable ASCII become "?".
    fileprivate var replacingSpaces: String { String(map { $0 == " " ? "?" : $0 }) }
}

extension HTTP2Session {
    fileprivate func clientEvents(containDrainFor stream: Int32, in events: [HTTP2Event]) -> Bool {
        events.contains(.outboundDrained(stream: stream))
    }
}
