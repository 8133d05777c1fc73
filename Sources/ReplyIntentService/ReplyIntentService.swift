public import RPC

/// `replyintent.v1.ReplyIntent`: `ClassifyIntent` and `SuggestReply` run inline on the event
/// loop (`.unary`; off it when a model must load first); `StreamConversations` runs in a task
/// (`.streaming`).
public struct ReplyIntentService: RPCService {
    public static let serviceName = "replyintent.v1.ReplyIntent"

    let core: ServiceCore

    public init(_ dependencies: ServiceDependencies) {
        core = ServiceCore(dependencies)
    }

    /// Shares another service's state (scratch pool, dependencies).
    init(core: ServiceCore) {
        self.core = core
    }

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

/// `replyintent.v1.ReplyIntentAdmin`: `ListModels` and `ReloadModels`, for admin credentials only.
/// `ListModels` runs inline (`.unary`); `ReloadModels` loads files, so it runs in a task.
public struct ReplyIntentAdminService: RPCService {
    public static let serviceName = "replyintent.v1.ReplyIntentAdmin"

    let core: ServiceCore

    public init(_ dependencies: ServiceDependencies) {
        core = ServiceCore(dependencies)
    }

    public func register(into router: inout Router) {
        let core = core
        func method(_ name: String) -> MethodPath { MethodPath(service: Self.serviceName, method: name) }
        let admission: CallAdmission = { info in try core.authenticateAdmin(info) }
        router.register(
            method("ListModels"), .unary { bytes, context in try core.listModels(bytes, context) }, admission: admission)
        router.register(
            method("ReloadModels"), .streaming { call in try await core.reloadModels(call) }, admission: admission)
    }
}
