/// The bytes one stream still has to send, plus how it ends. nghttp2's data source read
/// callback copies out of it as the peer's flow-control window allows. A class, so the session
/// mutates it in place after one dictionary lookup.
final class OutboundQueue {
    /// The chunk being read (most streams only ever have this one: no array of chunks).
    private var current: [UInt8] = []
    private var offset = 0
    /// Chunks queued behind `current`.
    private var pending: [[UInt8]] = []
    private var pendingHead = 0
    /// Bytes queued and not yet handed to nghttp2.
    private(set) var count = 0
    /// Bytes handed to nghttp2 so far (progress: a reader that takes nothing leaves it still).
    private(set) var taken = 0
    /// No more data will be queued (endStream or trailers were requested).
    var finished = false
    /// Trailers to submit once the data is out.
    var trailers: [HeaderField]? = nil
    /// nghttp2 was told NGHTTP2_ERR_DEFERRED and waits for nghttp2_session_resume_data.
    var deferred = false
    /// A data provider is attached (headers were submitted without END_STREAM).
    var providerAttached = false
    /// The frame carrying END_STREAM (last DATA or the trailers) has left the session.
    var endSent = false

    var isEmpty: Bool { count == 0 }

    func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if count == 0 {
            current = bytes
            offset = 0
        } else {
            pending.append(bytes)
        }
        count += bytes.count
    }

    /// Copies up to `max` bytes into `destination`; returns how many were copied.
    func read(into destination: UnsafeMutableRawBufferPointer, max: Int) -> Int {
        var copied = 0
        let limit = Swift.min(max, destination.count, count)
        while copied < limit {
            if offset == current.count {
                current = pending[pendingHead]
                pendingHead += 1
                offset = 0
            }
            let take = Swift.min(limit - copied, current.count - offset)
            current.withUnsafeBytes { source in
                let from = UnsafeRawBufferPointer(rebasing: source[offset..<(offset + take)])
                UnsafeMutableRawBufferPointer(rebasing: destination[copied..<(copied + take)]).copyMemory(from: from)
            }
            copied += take
            offset += take
        }
        count -= copied
        taken &+= copied
        if count == 0 {
            current = []
            offset = 0
            if !pending.isEmpty {
                pending.removeAll(keepingCapacity: true)
                pendingHead = 0
            }
        } else if pendingHead > 32 {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
        return copied
    }
}
