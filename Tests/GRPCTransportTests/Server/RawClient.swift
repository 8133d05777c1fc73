import GRPCTransport
import HTTP2
import Posix
import RPC

/// A bare HTTP/2 client for server tests: our HTTP2Session (client role) over a loopback
/// socket, so a test can send exactly the frames it wants (bad headers, split messages,
/// resets) and look at exactly what came back.
final class RawClient {
    let fd: Int32
    let session: HTTP2Session
    private(set) var events: [HTTP2Event] = []
    private(set) var connectionClosed = false
    /// Whether received DATA is acknowledged (window reopened) automatically.
    var autoConsume = true
    /// Never write (a client that connects and stays silent).
    var silent = false

    init(port: Int, settings: HTTP2Settings = HTTP2Settings(), sendPreface: Bool = true) throws {
        fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
        session = try HTTP2Session(role: .client, settings: settings)
        if sendPreface { try flush() }
    }

    private var socketOpen = true

    deinit { disconnect() }

    /// Closes the socket now (once: a second close could close a descriptor number that another
    /// test's server has been given meanwhile, such as an event loop's wake-up eventfd).
    func disconnect() {
        guard socketOpen else { return }
        socketOpen = false
        Socket.close(fd)
    }

    /// Writes everything the session has to send (spinning briefly while the socket is busy).
    func flush() throws {
        var bytes: [UInt8] = []
        try session.drainOutput(into: &bytes, events: &events)
        try writeAll(bytes)
    }

    func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        var spins = 0
        while offset < bytes.count {
            switch try? Socket.write(fd, bytes[offset...]) {
            case .bytes(let count)?: offset += count
            case .closed?: connectionClosed = true; return
            default:
                spins += 1
                if spins > 20_000 { return }
                try pump()  // keep reading so the server's window updates arrive
            }
        }
    }

    /// Reads what is available and feeds it to the session.
    func pump() throws {
        var buffer: [UInt8] = []
        while !connectionClosed {
            buffer.removeAll(keepingCapacity: true)
            let result: IOResult
            do {
                result = try Socket.read(fd, into: &buffer, max: 65536)
            } catch {
                connectionClosed = true
                return
            }
            switch result {
            case .bytes:
                let before = events.count
                do {
                    try session.receive(buffer[...], events: &events)
                } catch {
                    connectionClosed = true
                    return
                }
                if autoConsume {
                    for case .data(let stream, let bytes) in events[before...] {
                        session.consume(stream: stream, bytes: bytes.count)
                    }
                }
            case .wouldBlock:
                if silent { return }
                var out: [UInt8] = []
                try session.drainOutput(into: &out, events: &events)
                if !out.isEmpty { try writeAll(out) }
                return
            case .closed:
                connectionClosed = true
                return
            }
        }
    }

    /// Pumps until `condition` holds or `seconds` pass; returns whether it held. It always reads
    /// once more before giving up: when CPU-bound suites starve this task, it may only resume
    /// after the deadline, with the answer already waiting in the socket.
    @discardableResult
    func wait(seconds: Double = 30, until condition: (RawClient) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        repeat {
            try pump()
            if condition(self) { return true }
            if connectionClosed { return false }
            try await Task.sleep(for: .milliseconds(2))
        } while ContinuousClock.now < deadline
        try pump()
        return condition(self)
    }

    // MARK: Requests

    static func headers(
        path: String, method: String = "POST", contentType: String? = "application/grpc", te: String? = "trailers",
        extra: [HeaderField] = []
    ) -> [HeaderField] {
        var fields = [
            HeaderField(":method", method), HeaderField(":scheme", "http"), HeaderField(":path", path),
            HeaderField(":authority", "127.0.0.1"),
        ]
        if let contentType { fields.append(HeaderField("content-type", contentType)) }
        if let te { fields.append(HeaderField("te", te)) }
        return fields + extra
    }

    static func frame(_ message: [UInt8], compressed: Bool = false) -> [UInt8] {
        let count = message.count
        return [compressed ? 1 : 0, UInt8(truncatingIfNeeded: count >> 24), UInt8(truncatingIfNeeded: count >> 16),
            UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)] + message
    }

    /// Opens a stream, sends `body` (already framed) and half-closes when `end`.
    func start(_ headers: [HeaderField], body: [UInt8] = [], end: Bool = true) throws -> Int32 {
        let stream = try session.submitRequest(headers: headers, endStream: false)
        if !body.isEmpty || end { session.sendData(stream: stream, bytes: body, endStream: end) }
        try flush()
        return stream
    }

    /// A unary call: one message, then waits for the stream to close.
    func unary(path: String, message: [UInt8], extra: [HeaderField] = []) async throws -> RawResponse {
        let stream = try start(Self.headers(path: path, extra: extra), body: Self.frame(message))
        try await wait { $0.isClosed(stream) }
        return response(stream)
    }

    func isClosed(_ stream: Int32) -> Bool {
        events.contains { if case .streamClosed(stream, _) = $0 { return true } else { return false } }
    }

    func response(_ stream: Int32) -> RawResponse {
        var response = RawResponse()
        for event in events {
            switch event {
            case .headers(stream, let fields, let end):
                if response.headers == nil { response.headers = fields } else { response.trailers = fields }
                if end && response.trailers == nil { response.trailers = fields }  // Trailers-Only
            case .data(stream, let bytes):
                response.body += bytes
            case .streamClosed(stream, let code):
                response.resetCode = code
            default:
                break
            }
        }
        return response
    }

    var receivedGoAway: Bool {
        events.contains { if case .goAway = $0 { return true } else { return false } }
    }
}

/// What came back on one stream.
struct RawResponse {
    var headers: [HeaderField]? = nil
    var trailers: [HeaderField]? = nil
    var body: [UInt8] = []
    var resetCode: UInt32? = nil

    func header(_ name: String) -> String? { headers?.first { $0.name == name }?.value }
    func trailer(_ name: String) -> String? { trailers?.first { $0.name == name }?.value }
    var httpStatus: String? { header(":status") }
    var grpcStatus: Int? { trailer("grpc-status").flatMap { Int($0) } }
    var grpcMessage: String? { trailer("grpc-message").map { PercentEncoding.decode($0) } }

    /// The body split into messages (flag, payload).
    var messages: [(compressed: Bool, payload: [UInt8])] {
        var result: [(Bool, [UInt8])] = []
        var index = 0
        while index + 5 <= body.count {
            let length = Int(body[index + 1]) << 24 | Int(body[index + 2]) << 16 | Int(body[index + 3]) << 8 | Int(body[index + 4])
            guard index + 5 + length <= body.count else { break }
            result.append((body[index] == 1, Array(body[(index + 5)..<(index + 5 + length)])))
            index += 5 + length
        }
        return result
    }
}
