/// The bytes of one fuzz input, read from the front: control values first (how to split the
/// rest, which parser to use), then the payload.
///
/// Reading past the end gives zeros, so every input is usable, however short.
public struct FuzzInput {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte was taken.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte (0 past the end).
    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A value in `0..<count` from the next byte.
    public mutating func choice(_ count: Int) -> Int {
        precondition(count > 0 && count <= 256)
        return Int(byte()) % count
    }

    /// Everything not taken yet.
    public mutating func rest() -> ArraySlice<UInt8> {
        defer { offset = bytes.count }
        return bytes[min(offset, bytes.count)...]
    }
}

/// How a target cuts a byte stream into the pieces a reader would see (socket reads, DATA frames).
public enum Chunking {
    /// Piece sizes a selector byte picks from: whole, single bytes, and sizes around frame and
    /// prefix boundaries.
    static let sizes = [Int.max, 1, 2, 3, 4, 5, 6, 7, 9, 13, 24, 64, 100, 1000, 4096]

    /// Cuts `bytes` into pieces of the size `selector` picks (the last piece may be shorter).
    public static func pieces(of bytes: ArraySlice<UInt8>, selector: UInt8) -> [ArraySlice<UInt8>] {
        let size = sizes[Int(selector) % sizes.count]
        var result: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes.endIndex - start <= size ? bytes.endIndex : start + size
            result.append(bytes[start..<end])
            start = end
        }
        return result
    }
}

/// Text of an input, as a configuration file reader gets it: invalid UTF-8 is repaired (U+FFFD),
/// the way a file that passed `String(contentsOfFile:encoding:)` holds only valid text.
public func text(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
}
