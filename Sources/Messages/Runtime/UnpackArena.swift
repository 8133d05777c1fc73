internal import CProtobufC
internal import CReplyIntentProtos
internal import Glibc

/// A bump allocator for `protobuf_c_message_unpack`: the C message, its sub-messages, arrays and
/// string copies come from one temporary buffer instead of one `malloc` each (a request with a
/// BuyerMessage took seven). Whatever does not fit falls back to `malloc`, and only then does
/// the message need `free_unpacked`.
struct UnpackArena {
    private var next: UnsafeMutableRawPointer
    private let start: UnsafeMutableRawPointer
    private let end: UnsafeMutableRawPointer
    /// Whether any allocation fell back to `malloc` (so the message must be freed).
    private(set) var usedMalloc = false

    /// Calls `body` with a protobuf-c allocator backed by a buffer sized for `inputByteCount`
    /// bytes of wire input; valid only during `body`.
    static func with<R>(
        inputByteCount: Int, _ body: (UnsafeMutablePointer<ProtobufCAllocator>, _ usedMalloc: () -> Bool) -> R
    ) -> R {
        // Strings and bytes copy at most the input; structs and arrays need a little more.
        let byteCount = 2 * inputByteCount + 1024
        return withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16) { raw in
            let base = raw.baseAddress!
            var arena = UnpackArena(next: base, start: base, end: base + raw.count)
            return withUnsafeMutablePointer(to: &arena) { state in
                var allocator = ProtobufCAllocator(
                    alloc: { data, size in
                        data!.assumingMemoryBound(to: UnpackArena.self).pointee.allocate(size)
                    },
                    free: { data, pointer in
                        data!.assumingMemoryBound(to: UnpackArena.self).pointee.release(pointer)
                    },
                    allocator_data: UnsafeMutableRawPointer(state))
                return withUnsafeMutablePointer(to: &allocator) { allocator in
                    body(allocator, { state.pointee.usedMalloc })
                }
            }
        }
    }

    private mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        let rounded = (size + 15) & ~15
        if rounded <= end - next {
            defer { next += rounded }
            return next
        }
        usedMalloc = true
        return malloc(size)
    }

    private func release(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        if pointer >= start && pointer < end { return }
        free(pointer)
    }
}
