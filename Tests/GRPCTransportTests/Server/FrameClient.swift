import HTTP2
import Posix

/// Hand-built HTTP/2 frames, for what our own HTTP2Session would never send: stream ids out of
/// order, streams reset before their HEADERS left, header blocks over 64 KiB. Header blocks use
/// HPACK literals without indexing only, so they never touch the dynamic table.
enum RawFrames {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static let headersType: UInt8 = 0x1
    static let rstStreamType: UInt8 = 0x3
    static let settingsType: UInt8 = 0x4
    static let goAwayType: UInt8 = 0x7
    static let continuationType: UInt8 = 0x9
    static let endStream: UInt8 = 0x1
    static let endHeaders: UInt8 = 0x4

    static func frame(type: UInt8, flags: UInt8 = 0, stream: Int32, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags]
            + withUnsafeBytes(of: UInt32(stream).bigEndian, Array.init) + payload
    }

    static func settings() -> [UInt8] { frame(type: settingsType, stream: 0, payload: []) }

    static func rstStream(stream: Int32, errorCode: UInt32) -> [UInt8] {
        frame(type: rstStreamType, stream: stream, payload: withUnsafeBytes(of: errorCode.bigEndian, Array.init))
    }

    /// An HPACK block of literal fields (RFC 7541 §6.2.2, new names, no Huffman).
    static func block(_ fields: [HeaderField]) -> [UInt8] {
        var bytes: [UInt8] = []
        for field in fields {
            bytes.append(0x00)
            string(Array(field.name.utf8), into: &bytes)
            string(Array(field.value.utf8), into: &bytes)
        }
        return bytes
    }

    /// HEADERS (+ CONTINUATION frames of at most 16 KiB each when the block is bigger).
    static func headers(stream: Int32, fields: [HeaderField], endStream: Bool) -> [UInt8] {
        let block = block(fields)
        let chunks = stride(from: 0, to: max(block.count, 1), by: 16_384).map {
            Array(block[$0..<min($0 + 16_384, block.count)])
        }
        var bytes: [UInt8] = []
        for (index, chunk) in chunks.enumerated() {
            var flags: UInt8 = index == chunks.count - 1 ? Self.endHeaders : 0
            if index == 0 && endStream { flags |= Self.endStream }
            bytes += frame(type: index == 0 ? headersType : continuationType, flags: flags, stream: stream, payload: chunk)
        }
        return bytes
    }

    private static func string(_ value: [UInt8], into bytes: inout [UInt8]) {
        // Integer with a 7-bit prefix (RFC 7541 §5.1), H = 0.
        if value.count < 127 {
            bytes.append(UInt8(value.count))
        } else {
            bytes.append(127)
            var rest = value.count - 127
            while rest >= 128 {
                bytes.append(UInt8(rest & 0x7f | 0x80))
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }
        bytes += value
    }
}

/// A client that writes raw frames and reads the server's frames without an HTTP/2 session, so
/// that nothing on this side rejects what the server answers to streams opened by hand.
final class FrameClient {
    struct Frame {
        var type: UInt8
        var flags: UInt8
        var stream: Int32
        var payload: [UInt8]
    }

    let fd: Int32
    private(set) var frames: [Frame] = []
    private(set) var closed = false
    private var input: [UInt8] = []

    init(port: Int) throws {
        fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
        try send(RawFrames.preface + RawFrames.settings())
    }

    deinit { Socket.close(fd) }

    /// Writes all of `bytes`, reading meanwhile; stops early once the server closed.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        var spins = 0
        while offset < bytes.count && !closed {
            switch try? Socket.write(fd, bytes[offset...]) {
            case .bytes(let count)?: offset += count
            case .closed?, nil: closed = true
            case .wouldBlock?:
                spins += 1
                if spins > 200_000 { return }
                pump()
            }
        }
    }

    /// Reads what is there and splits it into frames.
    func pump() {
        while !closed {
            let result: IOResult
            do {
                result = try Socket.read(fd, into: &input, max: 65536)
            } catch {
                closed = true
                break
            }
            switch result {
            case .bytes: continue
            case .wouldBlock: break
            case .closed: closed = true
            }
            break
        }
        while input.count >= 9 {
            let length = Int(input[0]) << 16 | Int(input[1]) << 8 | Int(input[2])
            guard input.count >= 9 + length else { break }
            let stream = Int32(bitPattern: UInt32(input[5]) << 24 | UInt32(input[6]) << 16 | UInt32(input[7]) << 8 | UInt32(input[8]))
            frames.append(Frame(type: input[3], flags: input[4], stream: stream & 0x7fff_ffff, payload: Array(input[9..<(9 + length)])))
            input.removeFirst(9 + length)
        }
    }

    /// Pumps until `condition` holds, the server closed, or `seconds` pass.
    @discardableResult
    func wait(seconds: Double = 30, until condition: (FrameClient) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        repeat {
            pump()
            if condition(self) { return true }
            if closed { return false }
            try await Task.sleep(for: .milliseconds(2))
        } while ContinuousClock.now < deadline
        pump()
        return condition(self)
    }

    /// The server's GOAWAY frames, in order: last stream id and error code.
    var goAways: [(lastStream: Int32, errorCode: UInt32)] {
        frames.filter { $0.type == RawFrames.goAwayType && $0.payload.count >= 8 }.map { frame in
            (Int32(bitPattern: frame.payload[0..<4].reduce(0) { $0 << 8 | UInt32($1) } & 0x7fff_ffff),
                frame.payload[4..<8].reduce(0) { $0 << 8 | UInt32($1) })
        }
    }

    /// The error code of the server's first GOAWAY, if one arrived.
    var goAwayErrorCode: UInt32? { goAways.first?.errorCode }

    /// The error code of a RST_STREAM the server sent on `stream`.
    func resetCode(_ stream: Int32) -> UInt32? {
        guard let reset = frames.first(where: { $0.type == RawFrames.rstStreamType && $0.stream == stream }),
            reset.payload.count == 4
        else { return nil }
        return reset.payload.reduce(0) { $0 << 8 | UInt32($1) }
    }

    func receivedHeaders(on stream: Int32) -> Bool {
        frames.contains { $0.type == RawFrames.headersType && $0.stream == stream }
    }
}
