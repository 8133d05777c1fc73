import FuzzSupport
import Messages
import RPC
@testable import ReplyIntentService
import Tenancy

/// The protobuf decode of every request message the servers accept, then, for what decodes, the
/// checks the service makes before any work.
///
/// Input: byte 0 picks the message type (``RequestKind``), the rest is the message's encoding
/// (Fuzz/Corpus/messages). Checked beyond "does not crash": a decoded message encodes again to
/// bytes that decode to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(inputBytes(data, size))
    let kind = RequestKind.allCases[input.choice(RequestKind.allCases.count)]
    kind.check(Array(input.rest()))
    return 0
}

/// Every request message type, in the order of the selector byte (append only: the corpus
/// files start with these indexes).
enum RequestKind: CaseIterable {
    case classifyIntent, suggestReply, streamConversations, listModels, reloadModels
    case simpleRequest, streamingInputCall, streamingOutputCall, empty, healthCheck

    func check(_ bytes: [UInt8]) {
        switch self {
        case .classifyIntent:
            guard let request = decoded(ClassifyIntentRequest.self, bytes) else { return }
            _ = try? MessageValidation.message(request.message, requireMessageID: false, limits: limits)
            _ = try? MessageValidation.topK(request.topK, limits: limits)
            checkModelName(request.model)
        case .suggestReply:
            guard let request = decoded(SuggestReplyRequest.self, bytes) else { return }
            _ = try? MessageValidation.message(request.message, requireMessageID: false, limits: limits)
            _ = try? MessageValidation.variables(request.variables, limits: limits)
            checkModelName(request.model)
        case .streamConversations:
            guard let request = decoded(StreamConversationsRequest.self, bytes) else { return }
            switch request.kind {
            case .message(let message)?:
                _ = try? MessageValidation.message(message, requireMessageID: true, limits: limits)
            case .correction(let correction)?:
                _ = try? MessageValidation.identifier(correction.messageID, field: "correction.message_id", limits: limits)
                _ = try? MessageValidation.identifier(
                    correction.conversationID, field: "correction.conversation_id", limits: limits)
                _ = try? MessageValidation.identifier(correction.agentID, field: "correction.agent_id", limits: limits)
            case .subscribe?, nil:
                break
            }
        case .listModels:
            guard let request = decoded(ListModelsRequest.self, bytes) else { return }
            _ = TenantID.problem(with: request.tenant)
        case .reloadModels:
            _ = decoded(ReloadModelsRequest.self, bytes)
        case .simpleRequest:
            _ = decoded(SimpleRequest.self, bytes)
        case .streamingInputCall:
            _ = decoded(StreamingInputCallRequest.self, bytes)
        case .streamingOutputCall:
            _ = decoded(StreamingOutputCallRequest.self, bytes)
        case .empty:
            _ = decoded(Empty.self, bytes)
        case .healthCheck:
            _ = decoded(HealthCheckRequest.self, bytes)
        }
    }
}

let limits = ServiceLimits()
let tenant = TenantID("acme")!

/// Decodes as the service does (its error mapping included); a decoded message must survive
/// an encode and decode unchanged.
func decoded<Message: ProtobufMessage>(_ type: Message.Type, _ bytes: [UInt8]) -> Message? {
    let message: Message
    do {
        message = try RequestDecoding.decode(type, bytes)
    } catch {
        _ = error.description
        return nil
    }
    let encoded = message.serializedBytes()
    guard let again = try? Message(serializedBytes: encoded) else {
        fatalError("\(Message.protoName): a decoded message encodes to \(encoded.count) bytes that do not decode")
    }
    guard again == message else {
        fatalError("\(Message.protoName): encoding and decoding again changed the message: \(message) vs \(again)")
    }
    return message
}

/// The `model` field as `ModelChoice` checks it (before any lookup).
func checkModelName(_ name: String) {
    guard !name.isEmpty else { return }
    _ = try? ModelChoice.ownModelName(name, tenant: tenant)
}
