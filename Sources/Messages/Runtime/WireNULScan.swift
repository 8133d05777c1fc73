internal import CProtobufC
internal import CReplyIntentProtos
internal import Glibc

/// Finds `string` fields whose wire bytes hold a NUL byte.
///
/// protobuf-c stores a string as a NUL-terminated `char *`, so "a\0b" arrives as "a": the rest
/// of the text would be silently dropped (a threat after a NUL would go unseen). proto3 allows
/// U+0000, but we cannot represent it, so decoding refuses such a message instead.
///
/// Cheap on the hot path: a request with no zero byte at all (the usual case: proto3 encoders
/// omit zero values and our requests have no float fields) is cleared by one `memchr`. Otherwise
/// the wire encoding is walked with protobuf-c's descriptors, looking only inside string fields
/// and the sub-messages that may hold them. The bytes were already accepted by
/// `protobuf_c_message_unpack`, so the walk only meets well-formed fields (and stops at anything else).
enum WireNULScan {
    /// The dotted path (`message.text`) of the first string field containing NUL, or nil.
    static func fieldWithNUL(in bytes: [UInt8], descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> String? {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress, memchr(base, 0, buffer.count) != nil else { return nil }
            return scan(buffer, descriptor: descriptor)
        }
    }

    private static func scan(
        _ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    ) -> String? {
        var index = 0
        while index < bytes.count {
            guard let tag = varint(bytes, &index) else { return nil }
            switch tag & 7 {
            case 0:
                guard varint(bytes, &index) != nil else { return nil }
            case 1:
                index += 8
            case 5:
                index += 4
            case 2:
                guard let length = varint(bytes, &index), length <= UInt64(bytes.count - index) else { return nil }
                let payload = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + Int(length))])
                index += Int(length)
                let number = UInt32(truncatingIfNeeded: tag >> 3)
                guard let field = protobuf_c_message_descriptor_get_field(descriptor, number) else { continue }
                if let path = fieldWithNUL(payload, field: field.pointee) { return path }
            default:
                return nil
            }
        }
        return nil
    }

    /// Checks one length-delimited value of a known field.
    private static func fieldWithNUL(_ payload: UnsafeRawBufferPointer, field: ProtobufCFieldDescriptor) -> String? {
        guard let base = payload.baseAddress, payload.count > 0 else { return nil }
        switch field.type {
        case PROTOBUF_C_TYPE_STRING:
            return memchr(base, 0, payload.count) == nil ? nil : String(cString: field.name)
        case PROTOBUF_C_TYPE_MESSAGE:
            guard memchr(base, 0, payload.count) != nil,
                let nested = field.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self),
                let inner = scan(payload, descriptor: nested)
            else { return nil }
            return String(cString: field.name) + "." + inner
        default:
            return nil
        }
    }

    /// Reads a base-128 varint at `index`, advancing it; nil when truncated or longer than 10 bytes.
    private static func varint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 70 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
