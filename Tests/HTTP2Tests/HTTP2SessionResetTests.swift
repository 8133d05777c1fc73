import HTTP2
import Testing

/// How a stream that the server ends early (RST_STREAM) behaves when frames are still queued
/// or when the client already reset it.
@Suite struct HTTP2SessionResetTests {
    /// The server finishes a response while the client's flow-control window is exhausted, and asks
    /// to stop the still-sending client (RST_STREAM NO_ERROR): the client must still get every
    /// byte and the trailers before the reset.
    @Test func resetWaitsForQueuedDataAndTrailers() throws {
        var clientSettings = HTTP2Settings()
        clientSettings.initialWindowSize = 65535
        let pair = try SessionPair(client: clientSettings)
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: false)
        try pair.shuttle()
        try pair.server.submitResponse(stream: stream, headers: [HeaderField(":status", "200")], endStream: false)
        pair.server.sendData(stream: stream, bytes: [UInt8](repeating: 1, count: 200_000), endStream: false)
        pair.server.submitTrailers(stream: stream, headers: [HeaderField("grpc-status", "0")])
        pair.server.resetAfterQueuedFrames(stream, errorCode: HTTP2ErrorCode.noError)
        try pair.shuttle()
        #expect(SessionPair.data(pair.clientEvents, stream: stream).count == 65535)
        #expect(SessionPair.closed(pair.clientEvents, stream: stream) == nil, "reset overtook queued data")

        var consumed = 0
        for _ in 0..<100 where SessionPair.closed(pair.clientEvents, stream: stream) == nil {
            let received = SessionPair.data(pair.clientEvents, stream: stream).count
            pair.client.consume(stream: stream, bytes: received - consumed)
            consumed = received
            try pair.shuttle()
        }
        #expect(SessionPair.data(pair.clientEvents, stream: stream).count == 200_000)
        let blocks = SessionPair.headerBlocks(pair.clientEvents, stream: stream)
        #expect(blocks.count == 2)
        #expect(blocks.last?.fields.contains(HeaderField("grpc-status", "0")) == true)
        #expect(SessionPair.closed(pair.clientEvents, stream: stream) == HTTP2ErrorCode.noError)
    }

    /// HEADERS, DATA(END_STREAM) and RST_STREAM arrive in one read: nghttp2 has closed the stream
    /// before the application answers, so the answer must not be queued (it would never leave).
    @Test func responseToAStreamResetInTheSameReadIsNotQueued() throws {
        let pair = try SessionPair()
        try pair.shuttle()
        let stream = try pair.client.submitRequest(headers: requestHeaders, endStream: false)
        pair.client.sendData(stream: stream, bytes: [0, 0, 0, 0, 1, 9], endStream: true)
        var bytes: [UInt8] = []
        var ignored: [HTTP2Event] = []
        try pair.client.drainOutput(into: &bytes, events: &ignored)
        pair.client.resetStream(stream, errorCode: HTTP2ErrorCode.cancel)
        try pair.client.drainOutput(into: &bytes, events: &ignored)
        try pair.server.receive(bytes[...], events: &pair.serverEvents)
        #expect(!pair.server.isStreamOpen(stream))

        try pair.server.submitResponse(stream: stream, headers: [HeaderField(":status", "200")], endStream: false)
        pair.server.sendData(stream: stream, bytes: [UInt8](repeating: 1, count: 1000), endStream: false)
        pair.server.submitTrailers(stream: stream, headers: [HeaderField("grpc-status", "0")])
        try pair.shuttle()
        #expect(pair.server.bufferedOutboundBytes(stream: stream) == 0)
    }
}
