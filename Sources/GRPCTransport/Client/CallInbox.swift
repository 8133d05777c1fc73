internal import RPC
internal import Synchronization

/// What a client call has received, handed from the channel's event loop to the tasks that
/// read the call: response headers, messages in order, then the final status and trailers.
///
/// The loop side (``ClientStream``) calls `deliver…`/`finish`; callers `await` the rest.
/// Messages wait here until read; once more than ``highWaterMark`` bytes wait, the loop stops
/// reopening the HTTP/2 receive window (``deliver(_:)`` returns false) and ``onDrained`` runs
/// when the reader has caught up, so a slow reader slows the server instead of filling memory.
final class CallInbox: Sendable {
    struct End: Sendable {
        var status: Status
        var trailers: Metadata
    }

    private struct State {
        var messages: [ReceivedMessage] = []
        var head = 0
        var bufferedBytes = 0
        var windowHeld = false
        var initialMetadata: Metadata? = nil
        var end: End? = nil
        /// Readers waiting for a message, first come first served.
        var messageWaiters: [CheckedContinuation<ReceivedMessage?, any Error>] = []
        var headerWaiters: [CheckedContinuation<Metadata, Never>] = []
        var endWaiters: [CheckedContinuation<End, Never>] = []
    }

    static let highWaterMark = 4 << 20

    private let state = Mutex(State())
    /// Runs (on the reader's thread) when a held receive window may be reopened.
    private let onDrained: @Sendable () -> Void

    init(onDrained: @escaping @Sendable () -> Void) {
        self.onDrained = onDrained
    }

    // MARK: Loop side

    func deliverHeaders(_ metadata: Metadata) {
        let waiters = state.withLock { state -> [CheckedContinuation<Metadata, Never>] in
            guard state.initialMetadata == nil, state.end == nil else { return [] }
            state.initialMetadata = metadata
            defer { state.headerWaiters = [] }
            return state.headerWaiters
        }
        for waiter in waiters { waiter.resume(returning: metadata) }
    }

    /// Queues a message; returns false when the reader is behind and the window should be held.
    func deliver(_ message: ReceivedMessage) -> Bool {
        let (waiter, keepOpen) = state.withLock {
            state -> (CheckedContinuation<ReceivedMessage?, any Error>?, Bool) in
            guard state.end == nil else { return (nil, true) }
            if !state.messageWaiters.isEmpty {
                return (state.messageWaiters.removeFirst(), true)
            }
            state.messages.append(message)
            state.bufferedBytes += message.bytes.count
            if state.bufferedBytes > CallInbox.highWaterMark { state.windowHeld = true }
            return (nil, !state.windowHeld)
        }
        waiter?.resume(returning: message)
        return keepOpen
    }

    /// Ends the call. `dropBuffered` discards unread messages (local cancel or deadline), so the
    /// reader sees the status at once; otherwise the status comes after the buffered messages.
    func finish(_ status: Status, trailers: Metadata, dropBuffered: Bool) {
        let end = End(status: status, trailers: trailers)
        let (messageWaiters, headerWaiters, endWaiters) = state.withLock { state in
            guard state.end == nil else {
                return (
                    [CheckedContinuation<ReceivedMessage?, any Error>](), [CheckedContinuation<Metadata, Never>](),
                    [CheckedContinuation<End, Never>]()
                )
            }
            state.end = end
            if dropBuffered {
                state.messages = []
                state.head = 0
                state.bufferedBytes = 0
            }
            let result = (state.messageWaiters, state.headerWaiters, state.endWaiters)
            state.messageWaiters = []
            state.headerWaiters = []
            state.endWaiters = []
            return result
        }
        for waiter in messageWaiters {
            if status.code == .ok {
                waiter.resume(returning: nil)
            } else {
                waiter.resume(throwing: RPCError(status: status, metadata: trailers))
            }
        }
        for waiter in headerWaiters { waiter.resume(returning: [:]) }
        for waiter in endWaiters { waiter.resume(returning: end) }
    }

    // MARK: Reader side

    /// The next message; nil after an OK end; throws ``RPCError`` for any other status.
    func next() async throws -> ReceivedMessage? {
        let step = state.withLock { state in Self.take(&state) }
        switch step {
        case .message(let message, let drained):
            if drained { onDrained() }
            return message
        case .end(let end):
            return try Self.result(end)
        case .wait:
            break
        }
        return try await withCheckedThrowingContinuation { continuation in
            let immediate = state.withLock { state -> Step in
                let step = Self.take(&state)
                if case .wait = step { state.messageWaiters.append(continuation) }
                return step
            }
            switch immediate {
            case .message(let message, let drained):
                if drained { onDrained() }
                continuation.resume(returning: message)
            case .end(let end):
                continuation.resume(with: Result { try Self.result(end) })
            case .wait:
                break
            }
        }
    }

    private enum Step {
        case message(ReceivedMessage, drained: Bool)
        case end(End)
        case wait
    }

    private static func take(_ state: inout State) -> Step {
        if state.head < state.messages.count {
            let message = state.messages[state.head]
            state.head += 1
            state.bufferedBytes -= message.bytes.count
            if state.head == state.messages.count {
                state.messages.removeAll(keepingCapacity: true)
                state.head = 0
            }
            var drained = false
            if state.windowHeld && state.bufferedBytes <= CallInbox.highWaterMark / 2 {
                state.windowHeld = false
                drained = true
            }
            return .message(message, drained: drained)
        }
        if let end = state.end { return .end(end) }
        return .wait
    }

    private static func result(_ end: End) throws -> ReceivedMessage? {
        if end.status.code == .ok { return nil }
        throw RPCError(status: end.status, metadata: end.trailers)
    }

    /// The response headers' metadata, once they arrived; empty when the call ended without them.
    func initialMetadata() async -> Metadata {
        if let ready = state.withLock({ $0.initialMetadata ?? ($0.end != nil ? [:] : nil) }) { return ready }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Metadata? in
                if let metadata = state.initialMetadata { return metadata }
                if state.end != nil { return [:] }
                state.headerWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The final status and trailing metadata, once the call ended.
    func end() async -> End {
        if let end = state.withLock({ $0.end }) { return end }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> End? in
                if let end = state.end { return end }
                state.endWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Takes every buffered message at once; for unary calls after the end.
    func drainMessages() -> [ReceivedMessage] {
        state.withLock { state in
            let messages = Array(state.messages[state.head...])
            state.messages = []
            state.head = 0
            state.bufferedBytes = 0
            return messages
        }
    }
}
