internal import Posix
internal import RPC

/// The streaming handler's outbound side: each call hops to the connection's loop.
/// `send` suspends while the stream has more than the high-water mark queued (the peer's
/// flow-control window holds it back), so a slow reader slows the handler down.
struct ServerResponseWriter: ResponseStreamWriter {
    let loop: EventLoop
    let stream: LoopBound<ServerStream>

    func sendInitialMetadata(_ metadata: Metadata) async throws {
        let stream = self.stream
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            loop.execute {
                do {
                    try stream.value.writerSendInitialMetadata(metadata)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    func send(_ message: [UInt8], compress: Bool) async throws {
        try Task.checkCancellation()
        let stream = self.stream
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            loop.execute {
                do {
                    if try stream.value.writerSend(message, compress: compress) {
                        stream.value.writerWait(continuation)
                    } else {
                        continuation.resume()
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
