import Synchronization

/// The request messages of a streaming call, in arrival order.
///
/// The transport yields into it through a ``RequestStream/Source``; the handler iterates it once.
/// Each message a handler takes is reported to `onConsumed` with its size, so the transport can
/// open the HTTP/2 flow-control window only as fast as the handler reads: a slow handler gets
/// backpressure instead of an unbounded buffer.
public struct RequestStream: AsyncSequence, Sendable {
    public typealias Element = ReceivedMessage

    private let state: SharedState

    /// Makes a stream and the source that feeds it.
    public static func makeStream(
        onConsumed: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> (stream: RequestStream, source: Source) {
        let state = SharedState(onConsumed: onConsumed)
        return (RequestStream(state: state), Source(state: state))
    }

    /// The transport's end: yield messages, then finish (half-close) or fail (reset, deadline).
    public struct Source: Sendable {
        fileprivate let state: SharedState

        public func yield(_ message: ReceivedMessage) { state.yield(message) }
        public func finish() { state.finish(nil) }
        public func fail(_ error: RPCError) { state.finish(error) }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let state: SharedState

        public mutating func next() async throws -> ReceivedMessage? {
            try await state.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(state: state) }

    /// Collects every message; for client-streaming handlers.
    public func collect() async throws -> [ReceivedMessage] {
        var all: [ReceivedMessage] = []
        for try await message in self { all.append(message) }
        return all
    }
}

private final class SharedState: Sendable {
    private struct Inner {
        var buffer: [ReceivedMessage] = []
        var head = 0
        var end: Result<Void, RPCError>? = nil
        var waiter: CheckedContinuation<ReceivedMessage?, any Error>? = nil
    }

    private let inner = Mutex(Inner())
    private let onConsumed: @Sendable (Int) -> Void

    init(onConsumed: @escaping @Sendable (Int) -> Void) { self.onConsumed = onConsumed }

    func yield(_ message: ReceivedMessage) {
        let waiter = inner.withLock { state -> CheckedContinuation<ReceivedMessage?, any Error>? in
            guard state.end == nil else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffer.append(message)
            return nil
        }
        if let waiter {
            onConsumed(message.bytes.count)
            waiter.resume(returning: message)
        }
    }

    func finish(_ error: RPCError?) {
        let waiter = inner.withLock { state -> CheckedContinuation<ReceivedMessage?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            defer { state.waiter = nil }
            return state.waiter
        }
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }

    func next() async throws -> ReceivedMessage? {
        try Task.checkCancellation()
        enum Step { case message(ReceivedMessage), end(Result<Void, RPCError>), wait }
        let step = inner.withLock { state -> Step in
            if state.head < state.buffer.count {
                let message = state.buffer[state.head]
                state.head += 1
                if state.head == state.buffer.count {
                    state.buffer.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                return .message(message)
            }
            if let end = state.end { return .end(end) }
            return .wait
        }
        switch step {
        case .message(let message):
            onConsumed(message.bytes.count)
            return message
        case .end(.success):
            return nil
        case .end(.failure(let error)):
            throw error
        case .wait:
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let immediate = inner.withLock { state -> Result<ReceivedMessage?, any Error>? in
                        if state.head < state.buffer.count {
                            let message = state.buffer[state.head]
                            state.head += 1
                            return .success(message)
                        }
                        if let end = state.end {
                            switch end {
                            case .success: return .success(nil)
                            case .failure(let error): return .failure(error)
                            }
                        }
                        if Task.isCancelled { return .failure(CancellationError()) }
                        state.waiter = continuation
                        return nil
                    }
                    if let immediate {
                        if case .success(let message?) = immediate { onConsumed(message.bytes.count) }
                        continuation.resume(with: immediate)
                    }
                }
            } onCancel: {
                let waiter = inner.withLock { state -> CheckedContinuation<ReceivedMessage?, any Error>? in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume(throwing: CancellationError())
            }
        }
    }
}
