internal import Classifier
internal import Logging
internal import Messages
internal import ModelCache
internal import Policy
internal import RPC
internal import Tenancy

/// What one call's log line says; handlers fill it as they go.
struct CallSummary {
    var tenant: TenantID?
    var intent: String?
    var priority: Priority?
    var decision: Decision?
    var model: ModelKey?
    /// Logged only when the server runs with `logMessageText`.
    var text: String?
}

extension ServiceCore {
    /// Runs one unary call and, when debug logging is on, logs one line for it: tenant, rpc,
    /// intent, priority, decision, latency and the status. Never the message text unless
    /// `logMessageText` is set. A body that returns nil will run again off the event loop
    /// (see ``offLoopIfNeeded(_:)``), so that attempt is not logged.
    @inline(__always)
    func logged(
        _ rpc: String, _ body: (inout CallSummary) throws(RPCError) -> [UInt8]?
    ) throws(RPCError) -> [UInt8]? {
        var summary = CallSummary()
        guard logsCalls else { return try body(&summary) }
        let start = ContinuousClock.now
        do {
            let result = try body(&summary)
            if result != nil { logCall(rpc, summary, status: nil, latency: ContinuousClock.now - start) }
            return result
        } catch {
            logCall(rpc, summary, status: error, latency: ContinuousClock.now - start)
            throw error
        }
    }

    /// A unary handler's answer, or ``RunOffEventLoop`` when it returned nil (it needs a model
    /// load or a tenant's first file read, which must not happen on the event loop).
    @inline(__always)
    func offLoopIfNeeded(_ response: [UInt8]?) throws -> [UInt8] {
        guard let response else { throw RunOffEventLoop() }
        return response
    }

    func logCall(_ rpc: String, _ summary: CallSummary, status: RPCError?, latency: Duration) {
        var metadata: Logger.Metadata = [
            "rpc": "\(rpc)",
            "latency_us": "\(latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000)",
        ]
        if let tenant = summary.tenant { metadata["tenant"] = "\(tenant)" }
        if let intent = summary.intent { metadata["intent"] = "\(intent)" }
        if let priority = summary.priority { metadata["priority"] = "\(priority)" }
        if let decision = summary.decision { metadata["decision"] = "\(decision)" }
        if let model = summary.model { metadata["model"] = "\(model)" }
        if logMessageText, let text = summary.text { metadata["text"] = "\(text)" }
        if let status {
            metadata["status"] = "\(status.code)"
            metadata["error"] = "\(status.message)"
        } else {
            metadata["status"] = "OK"
        }
        logger.debug("call", metadata: metadata)
    }
}

extension CallSummary {
    mutating func record(_ outcome: PipelineOutcome) {
        intent = outcome.analysis.intent.intent
        model = outcome.model
        priority = outcome.assessment.priority
        decision = outcome.reply?.decision.decision
        text = outcome.message.message.text
    }
}
