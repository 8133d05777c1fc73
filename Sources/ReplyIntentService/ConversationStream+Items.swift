internal import Classifier
internal import Messages
internal import ModelCache
internal import RPC
internal import Tenancy
internal import TenantStore

/// The answers to a stream's items: a classification, a recorded correction, or an item error.
extension ConversationStream {
    /// The classification of one buyer message (the pipeline, awaiting any file read or model
    /// load), or the item error that says why not.
    mutating func answer(_ message: BuyerMessage) async -> StreamConversationsResponse {
        counts.messages += 1
        var response = StreamConversationsResponse()
        do throws(RPCError) {
            // Each message takes the tenant's latest snapshot: a stream may stay open for hours.
            let outcome = try await core.pipeline.run(
                PipelineRequest(message: message, requireMessageID: true), for: principal,
                tenant: core.tenants.snapshot(for: principal.tenant), effects: &effects)
            response.kind = .classification(outcome.classification)
        } catch {
            response = itemError(messageID: message.messageID, error)
        }
        return response
    }

    /// Appends a correction to the tenant's corrections log, then confirms it. Suspends (never
    /// blocks the thread) while the log's writer thread writes the line.
    mutating func record(_ correction: AgentCorrection) async -> StreamConversationsResponse {
        counts.corrections += 1
        do throws(RPCError) {
            let limits = core.limits
            guard !correction.messageID.isEmpty else {
                throw RPCError(.invalidArgument, "correction.message_id is empty: name the message being corrected")
            }
            try MessageValidation.identifier(correction.messageID, field: "correction.message_id", limits: limits)
            try MessageValidation.identifier(correction.conversationID, field: "correction.conversation_id", limits: limits)
            try MessageValidation.identifier(correction.agentID, field: "correction.agent_id", limits: limits)
            guard !correction.intent.isEmpty else {
                throw RPCError(.invalidArgument, "correction.intent is empty: give the right intent label")
            }
            let snapshot = try await core.pipeline.inputs(
                for: principal, tenant: core.tenants.snapshot(for: principal.tenant), model: ""
            ).model
            let labels = snapshot.analyzer.intents.labels
            guard labels.contains(correction.intent) else {
                throw RPCError(
                    .invalidArgument,
                    "correction.intent '\(correction.intent.prefix(64))' is not a label of model "
                        + "\(snapshot.key.tenant.isEmpty ? "" : snapshot.key.tenant + "/")\(snapshot.key.name): "
                        + "use one of \(labels.sorted().joined(separator: ", "))")
            }
            let previous = effects.previousIntent(of: correction.messageID) ?? ""
            let entry = CorrectionEntry(
                timeUnixMs: UnixTime.nowMilliseconds(), tenant: principal.tenant, messageID: correction.messageID,
                conversationID: correction.conversationID, previousIntent: previous,
                correctedIntent: correction.intent, agentID: correction.agentID)
            do throws(CorrectionLogError) {
                try await core.corrections.append(entry)
            } catch {
                throw RPCError(error.code, "the correction was not recorded: \(error)")
            }
            var recorded = CorrectionRecorded()
            recorded.messageID = correction.messageID
            recorded.previousIntent = previous
            recorded.correctedIntent = correction.intent
            var response = StreamConversationsResponse()
            response.kind = .correctionRecorded(recorded)
            return response
        } catch {
            return itemError(messageID: correction.messageID, error)
        }
    }

    /// PRIORITY_UNSPECIFIED means PRIORITY_HIGH (the lowest priority that raises an alert).
    func validSubscriptionPriority(_ priority: Classification.Priority) -> Classification.Priority? {
        switch priority.rawValue {
        case 0: Classification.Priority(rawValue: 3)
        case 1...4: priority
        default: nil
        }
    }

    mutating func itemError(messageID: String, _ error: RPCError) -> StreamConversationsResponse {
        counts.itemErrors += 1
        var item = StreamItemError()
        item.messageID = messageID
        item.code = Int32(error.code.rawValue)
        item.message = error.message
        var response = StreamConversationsResponse()
        response.kind = .error(item)
        return response
    }
}
