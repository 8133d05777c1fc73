import HTTP2
import Posix
import Synchronization

/// A deliberately misbehaving HTTP/2 server for client tests: it answers each request with
/// whatever the test scripts (any headers, raw DATA bytes, trailers, RST_STREAM or GOAWAY),
/// so the client's handling of bad responses is exercised over a real socket.
final class ScriptedServer: Sendable {
    /// What to do with one request (chosen by its `:path`).
    enum Reply: Sendable {
        case respond(headers: [HeaderField], data: [UInt8] = [], trailers: [HeaderField]? = nil)
        case reset(errorCode: UInt32)
        /// GOAWAY, then close the connection.
        case goAway(errorCode: UInt32)
    }

    let port: Int
    private let loop: EventLoop
    private let listener: Int32
    private let acceptor: AcceptorBox

    init(reply: @escaping @Sendable (_ path: String) -> Reply) throws {
        let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        self.listener = listener
        self.port = try Socket.boundPort(listener)
        self.loop = try EventLoop(name: "scripted-server")
        let acceptor = Acceptor(fd: listener, loop: loop, reply: reply)
        try loop.register(fd: listener, handler: acceptor, readable: true, writable: false)
        self.acceptor = AcceptorBox(acceptor)
        loop.start()
    }

    func stop() {
        let loop = self.loop
        let listener = self.listener
        let acceptor = self.acceptor
        loop.execute {
            loop.deregister(fd: listener)
            Socket.close(listener)
            acceptor.value.closeAll()
            loop.stop()
        }
        loop.join()
    }

    /// Standard gRPC response headers.
    static let okHeaders = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]

    /// A gRPC length-prefixed message.
    static func frame(_ payload: [UInt8], compressed: Bool = false) -> [UInt8] {
        let count = UInt32(payload.count)
        return [compressed ? 1 : 0, UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)]
            + payload
    }
}

/// Carries the acceptor to its loop; `@unchecked Sendable`: only touched on that loop's thread.
private final class AcceptorBox: @unchecked Sendable {
    let value: Acceptor
    init(_ value: Acceptor) { self.value = value }
}

/// Accepts connections on the loop (loop-owned).
private final class Acceptor: EventHandler {
    let fd: Int32
    let loop: EventLoop
    let reply: @Sendable (String) -> ScriptedServer.Reply
    var connections: [ScriptedConnection] = []

    init(fd: Int32, loop: EventLoop, reply: @escaping @Sendable (String) -> ScriptedServer.Reply) {
        self.fd = fd
        self.loop = loop
        self.reply = reply
    }

    func onReadable() {
        while let (client, _) = (try? Socket.accept(fd)) ?? nil {
            guard let connection = try? ScriptedConnection(fd: client, loop: loop, reply: reply) else {
                Socket.close(client)
                continue
            }
            connections.append(connection)
        }
    }

    func onWritable() {}

    func closeAll() {
        for connection in connections { connection.close() }
        connections = []
    }
}

/// One accepted connection: HTTP/2 server session, scripted replies (loop-owned).
private final class ScriptedConnection: EventHandler {
    let fd: Int32
    let loop: EventLoop
    let session: HTTP2Session
    let reply: @Sendable (String) -> ScriptedServer.Reply
    var buffer = [UInt8](repeating: 0, count: 65536)
    var output: [UInt8] = []
    var events: [HTTP2Event] = []
    var closed = false
    var closeAfterFlush = false

    init(fd: Int32, loop: EventLoop, reply: @escaping @Sendable (String) -> ScriptedServer.Reply) throws {
        self.fd = fd
        self.loop = loop
        self.reply = reply
        self.session = try HTTP2Session(role: .server)
        try loop.register(fd: fd, handler: self, readable: true, writable: false)
    }

    func onReadable() {
        guard !closed else { return }
        while true {
            guard let result = try? Socket.read(fd, into: &buffer, range: 0..<buffer.count) else { return close() }
            switch result {
            case .bytes(let count):
                guard (try? session.receive(buffer[..<count], events: &events)) != nil else { return close() }
                handleEvents()
            case .wouldBlock:
                return flush()
            case .closed:
                return close()
            }
        }
    }

    func onWritable() { flush() }

    private func handleEvents() {
        let batch = events
        events = []
        for event in batch {
            switch event {
            case .headers(let stream, let fields, _):
                let path = fields.first { $0.name == ":path" }?.value ?? ""
                switch reply(path) {
                case .respond(let headers, let data, let trailers):
                    let endAtHeaders = data.isEmpty && trailers == nil
                    try? session.submitResponse(stream: stream, headers: headers, endStream: endAtHeaders)
                    if !endAtHeaders {
                        session.sendData(stream: stream, bytes: data, endStream: trailers == nil)
                        if let trailers { session.submitTrailers(stream: stream, headers: trailers) }
                    }
                case .reset(let errorCode):
                    session.resetStream(stream, errorCode: errorCode)
                case .goAway(let errorCode):
                    session.submitGoAway(errorCode: errorCode)
                    closeAfterFlush = true
                }
            case .data(let stream, let bytes):
                session.consume(stream: stream, bytes: bytes.count)
            default:
                break
            }
        }
    }

    private func flush() {
        guard !closed else { return }
        try? session.drainOutput(into: &output, events: &events)
        handleEvents()
        while !output.isEmpty {
            guard case .bytes(let count)? = try? Socket.write(fd, output[...]) else { break }
            output.removeFirst(count)
        }
        if closeAfterFlush && output.isEmpty { return close() }
        try? loop.modify(fd: fd, readable: true, writable: !output.isEmpty)
    }

    func close() {
        guard !closed else { return }
        closed = true
        loop.deregister(fd: fd)
        Socket.close(fd)
    }
}
