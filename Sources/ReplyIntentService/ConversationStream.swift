internal import Alerts
internal import Logging
internal import Messages
internal import RPC
internal import Tenancy

/// One `StreamConversations` call. A single task reads the requests in order and answers each
/// (classification, correction recorded, subscription started, or a per-item error); a child
/// task per subscription forwards the tenant's alerts. Both write through the same
/// `ResponseStreamWriter`, which frames each message whole, so a slow reader only makes each
/// writer wait its turn.
///
/// The call ends: with INVALID_ARGUMENT when a request is not a valid message (nothing after it
/// can be trusted to be aligned); with OK after the last answer when the client half-closes
/// without a subscription; and, with a subscription, when the client cancels or the server shuts
/// down (agents often subscribe and send nothing more).
struct ConversationStream {
    let core: ServiceCore
    let principal: Principal
    let writer: any ResponseStreamWriter
    /// The pipeline's side effects for this stream's messages (alerts, the intents remembered for corrections).
    var effects: SideEffects
    var counts = (messages: 0, corrections: 0, itemErrors: 0, subscriptions: 0)
    /// The connection the stream came on, and whether this stream counts as one of its subscribers.
    let connectionID: UInt64
    var holdsConnectionSlot = false

    init(core: ServiceCore, principal: Principal, writer: any ResponseStreamWriter, connectionID: UInt64) {
        self.core = core
        self.principal = principal
        self.writer = writer
        self.connectionID = connectionID
        effects = .stream(remembering: core.limits.rememberedMessagesPerStream)
    }

    mutating func run(_ requests: RequestStream) async throws {
        let start = ContinuousClock.now
        defer { if holdsConnectionSlot { core.connectionSubscribers.release(connectionID) } }
        do {
            try await withThrowingDiscardingTaskGroup { group in
                var subscription: AlertSubscriber<Alert>? = nil
                for try await received in requests {
                    let request: StreamConversationsRequest
                    do throws(MessageCodingError) {
                        request = try StreamConversationsRequest(serializedBytes: received.bytes)
                    } catch {
                        // Well-framed but with a non-UTF-8 string: that item is bad, the stream is
                        // still aligned. Anything else cannot be read past: the call ends.
                        guard let field = error.refusedStringField else {
                            throw RequestDecoding.rpcError(error, decoding: StreamConversationsRequest.protoName)
                        }
                        let problem = RequestDecoding.refusedStringMessage(field: field, error)
                        try await send(itemError(messageID: "", RPCError(.invalidArgument, problem)))
                        continue
                    }
                    switch request.kind {
                    // Answer first, then send: in `send(answer(x))` the `self` of `send` is read (a
                    // copy) before `answer` runs, so `answer` mutated `effects` while the copy shared
                    // its storage and the remembered-ids dictionary was copied on every message.
                    case .message(let message):
                        let response = await answer(message)
                        try await send(response)
                    case .correction(let correction):
                        let response = await record(correction)
                        try await send(response)
                    case .subscribe(let subscribe):
                        guard let minPriority = validSubscriptionPriority(subscribe.minPriority) else {
                            try await send(
                                itemError(
                                    messageID: "",
                                    RPCError(
                                        .invalidArgument,
                                        "subscribe.min_priority \(subscribe.minPriority.rawValue) is not a Priority (0 to 4)")))
                            continue
                        }
                        subscription?.cancel()  // a second subscription replaces the first
                        subscription = nil
                        if !holdsConnectionSlot {
                            guard core.connectionSubscribers.acquire(connectionID, limit: core.limits.maxSubscribersPerConnection)
                            else {
                                try await send(itemError(messageID: "", tooManySubscribersPerConnection))
                                continue
                            }
                            holdsConnectionSlot = true
                        }
                        let subscriber: AlertSubscriber<Alert>
                        do throws(TooManySubscribers) {
                            subscriber = try core.alerts.subscribe(
                                tenant: principal.tenant.rawValue, minPriority: Int(minPriority.rawValue),
                                resumeAfter: subscribe.resumeAfterSequence)
                        } catch {
                            try await send(itemError(messageID: "", tooManySubscribersPerTenant(error.limit)))
                            continue
                        }
                        subscription = subscriber
                        counts.subscriptions += 1
                        var started = SubscriptionStarted()
                        started.nextSequence = subscriber.nextSequenceAtStart
                        started.oldestBufferedSequence = subscriber.oldestBufferedAtStart
                        started.minPriority = minPriority
                        var response = StreamConversationsResponse()
                        response.kind = .subscribed(started)
                        try await send(response)
                        let writer = writer
                        group.addTask { try await AlertForwarding.forward(subscriber, to: writer) }
                    case nil:
                        try await send(
                            itemError(
                                messageID: "",
                                RPCError(.invalidArgument, "request has no item: set one of message, correction or subscribe")))
                    }
                }
                // Half-closed. Without a subscription the group has nothing left to wait for; with
                // one, its forwarding task runs until the call is cancelled.
            }
        } catch {
            logStream(start: start, error: RPCError(wrapping: error))
            throw error
        }
        logStream(start: start, error: nil)
    }

    private var tooManySubscribersPerConnection: RPCError {
        RPCError(
            .resourceExhausted,
            "this connection already has \(core.limits.maxSubscribersPerConnection) streams subscribed to alerts"
                + " (alerts.max_subscribers_per_connection): subscribe on one of them, or close one")
    }

    private func tooManySubscribersPerTenant(_ limit: Int) -> RPCError {
        RPCError(
            .resourceExhausted,
            "tenant '\(principal.tenant)' already has \(limit) open alert subscriptions (alerts.max_subscribers_per_tenant):"
                + " close one first")
    }

    func send(_ response: StreamConversationsResponse) async throws {
        try await writer.send(response.serializedBytes())
    }

    private func logStream(start: ContinuousClock.Instant, error: RPCError?) {
        guard core.logsCalls || error != nil else { return }
        let elapsed = ContinuousClock.now - start
        var metadata: Logger.Metadata = [
            "rpc": "StreamConversations", "tenant": "\(principal.tenant)",
            "messages": "\(counts.messages)", "corrections": "\(counts.corrections)",
            "item_errors": "\(counts.itemErrors)", "subscriptions": "\(counts.subscriptions)",
            "duration_ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            "status": "\(error?.code ?? .ok)",
        ]
        if let error { metadata["error"] = "\(error.message)" }
        core.logger.debug("stream ended", metadata: metadata)
    }
}
