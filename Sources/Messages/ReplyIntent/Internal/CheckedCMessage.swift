internal import CProtobufC
internal import CReplyIntentProtos

/// A string field whose bytes are not UTF-8. Thrown while reading a C message and turned into
/// ``MessageCodingError`` at the top; `path` grows outward (`text` -> `message.text`) only on
/// this error path, so a valid message builds no path strings.
struct InvalidUTF8Field: Error {
    var path: String

    func inside(_ field: String) -> InvalidUTF8Field { InvalidUTF8Field(path: field + "." + path) }
}

/// Like ``CBackedMessage``, but reading a C message checks that every `string` field is UTF-8.
///
/// protobuf-c 1.4.1 copies string bytes as they are (it checks neither UTF-8 nor NUL bytes) and
/// `String(cString:)` would repair bad bytes into U+FFFD, so nobody could tell. proto3 requires
/// UTF-8 (C++ and Python protobuf refuse such a message); so do these messages, and the service
/// answers `INVALID_ARGUMENT` naming the field.
protocol CheckedCMessage: ProtobufMessage {
    associatedtype CMessage

    static var cFunctions: CMessageFunctions<CMessage> { get }

    /// Copies every field out of a message protobuf-c unpacked.
    init(cMessage: UnsafePointer<CMessage>) throws(InvalidUTF8Field)

    /// The arena bytes `fill` takes for strings and sub-messages (see ``EncodeArena``).
    var arenaByteCount: Int { get }

    /// Fills a default-initialized C struct from `self`; strings, sub-messages and arrays go in
    /// `arena`. No closures and no copies of `self`: the hot-path encoders (Classification in
    /// every response) stay free of retain/release traffic.
    func fill(_ c: UnsafeMutablePointer<CMessage>, in arena: inout EncodeArena)
}

extension CheckedCMessage {
    /// Unpacks with protobuf-c into an ``UnpackArena``, refuses strings holding NUL (see
    /// ``WireNULScan``), copies the fields out (checking UTF-8).
    static func decode(_ bytes: [UInt8]) throws(MessageCodingError) -> Self {
        let functions = cFunctions
        let result = UnpackArena.with(inputByteCount: bytes.count) {
            allocator, usedMalloc -> Result<Self, MessageCodingError> in
            let unpacked = bytes.withUnsafeBufferPointer { buffer in
                functions.unpack(allocator, buffer.count, buffer.baseAddress)
            }
            guard let unpacked else { return .failure(.malformed(protoName, byteCount: bytes.count)) }
            // Arena memory needs no freeing; only what spilled over to malloc does.
            defer { if usedMalloc() { functions.freeUnpacked(unpacked, allocator) } }
            // Every protobuf-c message starts with its ProtobufCMessage base, which names its descriptor.
            let base = UnsafeRawPointer(unpacked).assumingMemoryBound(to: ProtobufCMessage.self)
            let descriptor = base.pointee.descriptor!
            if let field = WireNULScan.fieldWithNUL(in: bytes, descriptor: descriptor) {
                return .failure(.nulInString(protoName, field: field, byteCount: bytes.count))
            }
            do throws(InvalidUTF8Field) {
                return .success(try Self(cMessage: unpacked))
            } catch {
                return .failure(.invalidUTF8(protoName, field: error.path, byteCount: bytes.count))
            }
        }
        return try result.get()
    }

    /// Builds the C mirror in one temporary arena (on the stack when small), then packs it
    /// straight into the returned array: one heap allocation for the result, no copies.
    func encode() -> [UInt8] {
        let functions = Self.cFunctions
        return EncodeArena.with(byteCount: EncodeArena.messageByteCount(self)) { arena in
            let message = arena.messageStruct(self)
            let size = functions.packedSize(message)
            guard size > 0 else { return [] }
            return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = functions.pack(message, buffer.baseAddress)
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
}

extension Array where Element: CheckedCMessage {
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

/// Reading `string` fields, checked for UTF-8.
enum CString {
    /// A `string` field: NULL or protobuf-c's NUL-terminated copy of the wire bytes.
    @inline(__always)
    static func read(_ pointer: UnsafeMutablePointer<CChar>?, field: String) throws(InvalidUTF8Field) -> String {
        guard let pointer, pointer.pointee != 0 else { return "" }
        guard let string = String(validatingCString: pointer) else { throw InvalidUTF8Field(path: field) }
        return string
    }

    /// A `repeated string` field.
    static func read(
        count: Int, _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, field: String
    ) throws(InvalidUTF8Field) -> [String] {
        guard count > 0, let pointers else { return [] }
        var strings: [String] = []
        strings.reserveCapacity(count)
        for index in 0..<count {
            do throws(InvalidUTF8Field) {
                strings.append(try read(pointers[index], field: field))
            } catch {
                throw InvalidUTF8Field(path: "\(field)[\(index)]")
            }
        }
        return strings
    }
}
