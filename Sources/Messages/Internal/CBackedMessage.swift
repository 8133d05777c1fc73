internal import CProtobufC
internal import CReplyIntentProtos

/// The functions protoc-c generates for one message type (`<name>__init`, `__get_packed_size`,
/// `__pack`, `__unpack`, `__free_unpacked`). Passing them as values lets one generic codec
/// serve every message.
struct CMessageFunctions<CMessage> {
    typealias Allocator = UnsafeMutablePointer<ProtobufCAllocator>

    let initialize: (UnsafeMutablePointer<CMessage>?) -> Void
    let packedSize: (UnsafePointer<CMessage>?) -> Int
    let pack: (UnsafePointer<CMessage>?, UnsafeMutablePointer<UInt8>?) -> Int
    let unpack: (Allocator?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CMessage>?
    let freeUnpacked: (UnsafeMutablePointer<CMessage>?, Allocator?) -> Void
}

/// A Swift message with a protobuf-c twin: it reads itself from the C struct and lends
/// out a C struct that mirrors it. ``ProtobufMessage`` conformances forward to `decode`/`encode`.
protocol CBackedMessage: ProtobufMessage {
    associatedtype CMessage

    static var cFunctions: CMessageFunctions<CMessage> { get }

    /// Copies every field out of a message protobuf-c unpacked (or built).
    init(cMessage: UnsafePointer<CMessage>)

    /// Calls `body` with a C struct mirroring `self`; its pointers (strings, bytes,
    /// sub-messages) borrow Swift storage and are valid only during `body`.
    func withCMessage<R>(_ body: (UnsafePointer<CMessage>) -> R) -> R
}

extension CBackedMessage {
    /// Unpacks with protobuf-c, copies the fields out, frees the C message.
    @inline(__always)
    static func decode(_ bytes: [UInt8]) throws(MessageCodingError) -> Self {
        let functions = cFunctions
        let unpacked = bytes.withUnsafeBufferPointer { buffer in
            functions.unpack(nil, buffer.count, buffer.baseAddress)
        }
        guard let unpacked else { throw .malformed(protoName, byteCount: bytes.count) }
        defer { functions.freeUnpacked(unpacked, nil) }
        return Self(cMessage: unpacked)
    }

    /// Packs the C mirror straight into the returned array: one allocation, no copy.
    @inline(__always)
    func encode() -> [UInt8] {
        let functions = Self.cFunctions
        return withCMessage { message in
            let size = functions.packedSize(message)
            guard size > 0 else { return [] }
            return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = functions.pack(message, buffer.baseAddress)
                precondition(count == size, "protobuf-c packed \(count) bytes, announced \(size)")
            }
        }
    }

    /// Calls `body` with a default-initialized C struct on the stack (`<name>__init`),
    /// for `withCMessage` implementations to fill in.
    @inline(__always)
    static func withDefaultCMessage<R>(_ body: (UnsafeMutablePointer<CMessage>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: CMessage.self, capacity: 1) { buffer in
            let message = buffer.baseAddress!
            cFunctions.initialize(message)
            return body(message)
        }
    }

    /// Reads an optional sub-message field.
    @inline(__always)
    static func read(_ message: UnsafeMutablePointer<CMessage>?) -> Self? {
        message.map { Self(cMessage: $0) }
    }
}

extension Optional where Wrapped: CBackedMessage {
    /// Lends a C sub-message pointer, or NULL when absent.
    @inline(__always)
    func withCMessage<R>(_ body: (UnsafeMutablePointer<Wrapped.CMessage>?) -> R) -> R {
        guard let self else { return body(nil) }
        return self.withCMessage { body(UnsafeMutablePointer(mutating: $0)) }
    }
}

extension Array where Element: CBackedMessage {
    /// Reads a repeated sub-message field. (Encoding one is each element type's own loop, such as
    /// `[ResponseParameters].withCMessages`: lending elements through nested closures would grow
    /// the stack with the count.)
    init(count: Int, cMessages: UnsafeMutablePointer<UnsafeMutablePointer<Element.CMessage>?>?) {
        self = (0..<count).compactMap { index in cMessages?[index].map { Element(cMessage: $0) } }
    }
}
