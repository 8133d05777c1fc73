internal import CProtobufC
internal import CReplyIntentProtos

/// A string field whose bytes are not UTF-8. Thrown while reading a C message and turned into
/// ``MessageCodingError`` at the top; `path` grows outward (`text` -> `message.text`) only on
/// this error path, so a valid message builds no path strings.
struct InvalidUTF8Field: Error {
    var path: String

    func inside(_ field: String) -> InvalidUTF8Field { InvalidUTF8Field(path: field + "." + path) }
}

/// What every generated message (Sources/Messages/Generated) is: a Swift value with a protobuf-c
/// twin, the C struct protoc-c generates for the same proto message.
///
/// Decoding unpacks with protobuf-c and copies the fields out, checking that every `string` is
/// UTF-8 and holds no NUL: protobuf-c 1.4.1 copies string bytes as they are and cuts them at a
/// NUL, and `String(cString:)` would repair bad bytes into U+FFFD, so nobody could tell. proto3
/// requires UTF-8 (C++ and Python protobuf refuse such a message); so do these messages, and a
/// service answers `INVALID_ARGUMENT` naming the field. Encoding fills a C struct from the value
/// in one ``EncodeArena`` and packs it with protobuf-c.
protocol CBackedMessage: ProtobufMessage {
    associatedtype CMessage

    /// protoc-c's `<name>__init`: sets the C struct's descriptor and defaults.
    static func initialize(_ c: UnsafeMutablePointer<CMessage>)

    /// Copies every field out of a message protobuf-c unpacked.
    init(cMessage: UnsafePointer<CMessage>) throws(InvalidUTF8Field)

    /// The arena bytes `fill` takes for strings, bytes, sub-messages and arrays (see ``EncodeArena``).
    var arenaByteCount: Int { get }

    /// Fills a default-initialized C struct from `self`; strings, sub-messages and arrays go in
    /// `arena`. No closures and no copies of `self`: the hot-path encoders (Classification in
    /// every response) stay free of retain/release traffic.
    func fill(_ c: UnsafeMutablePointer<CMessage>, in arena: inout EncodeArena)
}

extension CBackedMessage {
    /// The descriptor protoc-c generated for `CMessage` (what `__init` stores in the struct's base).
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        withUnsafeTemporaryAllocation(of: CMessage.self, capacity: 1) { buffer in
            initialize(buffer.baseAddress!)
            return base(buffer.baseAddress!).pointee.descriptor
        }
    }

    /// Every protobuf-c message starts with its ProtobufCMessage base.
    @inline(__always)
    static func base(_ c: UnsafeMutablePointer<CMessage>) -> UnsafeMutablePointer<ProtobufCMessage> {
        UnsafeMutableRawPointer(c).assumingMemoryBound(to: ProtobufCMessage.self)
    }

    /// Unpacks with protobuf-c into an ``UnpackArena``, refuses strings holding NUL (see
    /// ``WireNULScan``), copies the fields out (checking UTF-8). The message is moved out of the
    /// arena's scope, never copied (a copy would retain every string and array once more).
    static func decode(_ bytes: [UInt8]) throws(MessageCodingError) -> Self {
        let descriptor = descriptor
        var decoded: Self?
        var failure: MessageCodingError?
        UnpackArena.with(inputByteCount: bytes.count) { allocator, usedMalloc in
            let unpacked = bytes.withUnsafeBufferPointer { buffer in
                protobuf_c_message_unpack(descriptor, allocator, buffer.count, buffer.baseAddress)
            }
            guard let unpacked else {
                failure = .malformed(protoName, byteCount: bytes.count)
                return
            }
            // Arena memory needs no freeing; only what spilled over to malloc does.
            defer { if usedMalloc() { protobuf_c_message_free_unpacked(unpacked, allocator) } }
            if let field = WireNULScan.fieldWithNUL(in: bytes, descriptor: descriptor) {
                failure = .nulInString(protoName, field: field, byteCount: bytes.count)
                return
            }
            do throws(InvalidUTF8Field) {
                decoded = try Self(cMessage: UnsafeRawPointer(unpacked).assumingMemoryBound(to: CMessage.self))
            } catch {
                failure = .invalidUTF8(protoName, field: error.path, byteCount: bytes.count)
            }
        }
        if let message = decoded.take() { return message }
        throw failure!
    }

    /// Builds the C mirror in one temporary arena (on the stack when small), then packs it
    /// straight into the returned array: one heap allocation for the result, no copies.
    func encode() -> [UInt8] {
        EncodeArena.with(byteCount: EncodeArena.messageByteCount(self)) { arena in
            let message = Self.base(arena.messageStruct(self))
            let size = protobuf_c_message_get_packed_size(message)
            guard size > 0 else { return [] }
            return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = protobuf_c_message_pack(message, buffer.baseAddress)
                precondition(count == size, "protobuf-c packed \(count) bytes, announced \(size)")
            }
        }
    }

    /// Reads an optional sub-message field named `field` (for the error path).
    @inline(__always)
    static func read(_ message: UnsafeMutablePointer<CMessage>?, field: String) throws(InvalidUTF8Field) -> Self? {
        guard let message else { return nil }
        do {
            return try Self(cMessage: message)
        } catch {
            throw error.inside(field)
        }
    }

    /// Reads a map entry's message value: an absent one is `empty`, the default message.
    static func mapValue(_ message: UnsafeMutablePointer<CMessage>?, orElse empty: Self) throws(InvalidUTF8Field) -> Self {
        guard let message else { return empty }
        return try Self(cMessage: message)
    }
}

extension Array where Element: CBackedMessage {
    /// Reads a repeated sub-message field named `field`.
    init(
        count: Int, cMessages: UnsafeMutablePointer<UnsafeMutablePointer<Element.CMessage>?>?, field: String
    ) throws(InvalidUTF8Field) {
        self = []
        guard count > 0, let cMessages else { return }
        reserveCapacity(count)
        for index in 0..<count {
            guard let message = cMessages[index] else { continue }
            do throws(InvalidUTF8Field) {
                append(try Element(cMessage: message))
            } catch {
                throw error.inside("\(field)[\(index)]")
            }
        }
    }
}
