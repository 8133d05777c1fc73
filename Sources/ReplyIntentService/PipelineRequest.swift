internal import Messages
internal import RPC

/// One buyer message as an RPC hands it to the ``ClassificationPipeline``, before validation.
struct PipelineRequest {
    var message: BuyerMessage?
    /// Streams: every message needs an id (corrections refer to it).
    var requireMessageID = false
    /// `top_k` as the client sent it (0: ``ServiceLimits/defaultTopK``).
    var topK: UInt32 = 0
    /// The model the client named ("" for the tenant's default; see ``ModelChoice``).
    var model = ""
    /// SuggestReply: render a reply with these variables and decide what to do with it.
    /// nil: classify only.
    var replyVariables: [String: String]? = nil

    /// The request's checks, in the order their errors are reported: the message, `top_k`, the
    /// reply's variables; each failure is `INVALID_ARGUMENT` naming the field.
    func validated(limits: ServiceLimits) throws(RPCError) -> (message: ValidatedMessage, topK: Int) {
        let validated = try MessageValidation.message(message, requireMessageID: requireMessageID, limits: limits)
        let topK = try MessageValidation.topK(topK, limits: limits)
        if let replyVariables { try MessageValidation.variables(replyVariables, limits: limits) }
        return (validated, topK)
    }
}
