import HTTP2

/// A client session and a server session wired together in memory: `shuttle()` moves bytes
/// both ways until neither side has anything to send, collecting each side's events.
final class SessionPair {
    let client: HTTP2Session
    let server: HTTP2Session
    var clientEvents: [HTTP2Event] = []
    var serverEvents: [HTTP2Event] = []

    init(client: HTTP2Settings = HTTP2Settings(), server: HTTP2Settings = HTTP2Settings()) throws {
        self.client = try HTTP2Session(role: .client, settings: client)
        self.server = try HTTP2Session(role: .server, settings: server)
    }

    /// Moves bytes until both sides are quiet; returns how many bytes went each way.
    @discardableResult
    func shuttle(maxRounds: Int = 1000) throws -> (toServer: Int, toClient: Int) {
        var totals = (toServer: 0, toClient: 0)
        for _ in 0..<maxRounds {
            var bytes: [UInt8] = []
            try client.drainOutput(into: &bytes, events: &clientEvents)
            if !bytes.isEmpty { try server.receive(bytes[...], events: &serverEvents) }
            totals.toServer += bytes.count
            var back: [UInt8] = []
            try server.drainOutput(into: &back, events: &serverEvents)
            if !back.isEmpty { try client.receive(back[...], events: &clientEvents) }
            totals.toClient += back.count
            if bytes.isEmpty && back.isEmpty { return totals }
        }
        return totals
    }

    static func data(_ events: [HTTP2Event], stream: Int32) -> [UInt8] {
        var all: [UInt8] = []
        for case .data(let id, let bytes) in events where id == stream { all += bytes }
        return all
    }

    static func headerBlocks(_ events: [HTTP2Event], stream: Int32) -> [(fields: [HeaderField], endStream: Bool)] {
        var blocks: [(fields: [HeaderField], endStream: Bool)] = []
        for case .headers(let id, let fields, let end) in events where id == stream { blocks.append((fields, end)) }
        return blocks
    }

    static func closed(_ events: [HTTP2Event], stream: Int32) -> UInt32? {
        for case .streamClosed(let id, let code) in events where id == stream { return code }
        return nil
    }

    static func ended(_ events: [HTTP2Event], stream: Int32) -> Bool {
        events.contains(.endStream(stream: stream))
    }
}

let requestHeaders = [
    HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", "/pkg.Svc/Method"),
    HeaderField(":authority", "localhost"), HeaderField("content-type", "application/grpc"), HeaderField("te", "trailers"),
]
