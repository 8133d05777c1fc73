/// The percent-encoding of `grpc-message` (grpc `doc/PROTOCOL-HTTP2.md`): UTF-8 bytes outside
/// printable ASCII (0x20–0x7E), and `%` itself, become `%XX`.
public enum PercentEncoding {
    /// Encodes a status message for the `grpc-message` trailer.
    public static func encode(_ message: String) -> String {
        let utf8 = message.utf8
        guard utf8.contains(where: needsEscape) else { return message }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if needsEscape(byte) {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a received `grpc-message`. Never fails: a `%` not followed by two hex digits is
    /// kept as is, and bytes that are not valid UTF-8 become U+FFFD, so the message is never lost.
    public static func decode(_ value: String) -> String {
        let utf8 = value.utf8
        guard utf8.contains(UInt8(ascii: "%")) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        let bytes = Array(utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "%")
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
