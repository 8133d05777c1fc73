public import RPC

/// `replyintent.v1.ReplyIntentAdmin`: `ListModels` and `ReloadModels`, for admin credentials only,
/// over the main service's core (``ReplyIntentService/admin``).
/// `ListModels` runs inline (`.unary`); `ReloadModels` loads files, so it runs in a task.
public struct ReplyIntentAdminService: RPCService {
    public static let serviceName = "replyintent.v1.ReplyIntentAdmin"

    let core: ServiceCore

    init(core: ServiceCore) {
        self.core = core
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
