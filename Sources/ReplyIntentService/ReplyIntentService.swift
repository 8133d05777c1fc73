public import RPC

/// `replyintent.v1.ReplyIntent`: `ClassifyIntent` and `SuggestReply` run inline on the event
/// loop (`.unary`; off it when a model must load first); `StreamConversations` runs in a task
/// (`.streaming`). Builds the ``ServiceCore`` that ``admin`` shares.
public struct ReplyIntentService: RPCService {
    public static let serviceName = "replyintent.v1.ReplyIntent"

    let core: ServiceCore

    public init(_ dependencies: ServiceDependencies) {
        core = ServiceCore(dependencies)
    }

    /// The admin service over the same core (dependencies, pipeline): register both.
    public var admin: ReplyIntentAdminService { ReplyIntentAdminService(core: core) }

    public func register(into router: inout Router) {
        let core = core
        func method(_ name: String) -> MethodPath { MethodPath(service: Self.serviceName, method: name) }
        // Every call is authenticated at its HEADERS, before the transport buffers its request.
        let admission: CallAdmission = { info in try core.authenticate(info) }
        router.register(
            method("ClassifyIntent"), .unary { bytes, context in try core.classifyIntent(bytes, context) },
            admission: admission)
        router.register(
            method("SuggestReply"), .unary { bytes, context in try core.suggestReply(bytes, context) },
            admission: admission)
        router.register(
            method("StreamConversations"), .streaming { call in try await core.streamConversations(call) },
            admission: admission)
    }
}
