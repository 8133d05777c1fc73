internal import CProtobufC
internal import CReplyIntentProtos

/// Conversions between Swift field values and protobuf-c's field representations.
enum CField {
    /// A `string` field: protobuf-c gives NULL or a NUL-terminated UTF-8 string.
    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// A `bytes` field, copied out of the C message.
    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let start = data.data else { return [] }
        return [UInt8](UnsafeBufferPointer(start: start, count: data.len))
    }

    /// Lends a `bytes` field that borrows `bytes`' storage during `body` (no copy).
    static func withBytes<R>(_ bytes: [UInt8], _ body: (ProtobufCBinaryData) -> R) -> R {
        bytes.withUnsafeBufferPointer { buffer in
            body(ProtobufCBinaryData(len: buffer.count, data: UnsafeMutablePointer(mutating: buffer.baseAddress)))
        }
    }

    /// Lends a `string` field during `body`; protobuf-c only reads it.
    static func withString<R>(_ string: String, _ body: (UnsafeMutablePointer<CChar>) -> R) -> R {
        string.withCString { body(UnsafeMutablePointer(mutating: $0)) }
    }

    /// Lends a `string` field only when it is non-empty (nil otherwise), so the hot path of a
    /// message with default strings does no C-string conversion.
    static func withOptionalString<R>(_ string: String, _ body: (UnsafeMutablePointer<CChar>?) -> R) -> R {
        string.isEmpty ? body(nil) : withString(string) { body($0) }
    }

    /// A `bool` field.
    static func bool(_ value: protobuf_c_boolean) -> Bool { value != 0 }
    static func bool(_ value: Bool) -> protobuf_c_boolean { value ? 1 : 0 }
}
