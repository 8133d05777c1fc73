internal import CReplyIntentProtos

/// `replyintent.v1.ListModelsRequest`.
public struct ListModelsRequest: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ListModelsRequest"

    /// Only this tenant's models; empty for all.
    public var tenant: String

    public init(tenant: String = "") { self.tenant = tenant }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ListModelsRequest> {
        .init(
            initialize: replyintent__v1__list_models_request__init,
            packedSize: replyintent__v1__list_models_request__get_packed_size,
            pack: replyintent__v1__list_models_request__pack, unpack: replyintent__v1__list_models_request__unpack,
            freeUnpacked: replyintent__v1__list_models_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ListModelsRequest>) throws(InvalidUTF8Field) {
        tenant = try CString.read(cMessage.pointee.tenant, field: "tenant")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(tenant)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ListModelsRequest>, in arena: inout EncodeArena) {
        if let tenant = arena.string(tenant) { c.pointee.tenant = tenant }
    }
}

/// `replyintent.v1.ListModelsResponse`.
public struct ListModelsResponse: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ListModelsResponse"

    public var models: [ModelInfo]
    /// The cache's memory budget and use, in bytes.
    public var memoryBudgetBytes: UInt64
    public var memoryUsedBytes: UInt64

    public init(models: [ModelInfo] = [], memoryBudgetBytes: UInt64 = 0, memoryUsedBytes: UInt64 = 0) {
        self.models = models
        self.memoryBudgetBytes = memoryBudgetBytes
        self.memoryUsedBytes = memoryUsedBytes
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ListModelsResponse> {
        .init(
            initialize: replyintent__v1__list_models_response__init,
            packedSize: replyintent__v1__list_models_response__get_packed_size,
            pack: replyintent__v1__list_models_response__pack, unpack: replyintent__v1__list_models_response__unpack,
            freeUnpacked: replyintent__v1__list_models_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ListModelsResponse>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        models = try [ModelInfo](count: c.n_models, cMessages: c.models, field: "models")
        memoryBudgetBytes = c.memory_budget_bytes
        memoryUsedBytes = c.memory_used_bytes
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(models)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ListModelsResponse>, in arena: inout EncodeArena) {
        (c.pointee.n_models, c.pointee.models) = arena.messages(models)
        c.pointee.memory_budget_bytes = memoryBudgetBytes
        c.pointee.memory_used_bytes = memoryUsedBytes
    }
}

/// `replyintent.v1.ReloadModelsRequest` (no fields).
public struct ReloadModelsRequest: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ReloadModelsRequest"

    public init() {}

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ReloadModelsRequest> {
        .init(
            initialize: replyintent__v1__reload_models_request__init,
            packedSize: replyintent__v1__reload_models_request__get_packed_size,
            pack: replyintent__v1__reload_models_request__pack,
            unpack: replyintent__v1__reload_models_request__unpack,
            freeUnpacked: replyintent__v1__reload_models_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ReloadModelsRequest>) throws(InvalidUTF8Field) {}

    var arenaByteCount: Int { 0 }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ReloadModelsRequest>, in arena: inout EncodeArena) {}
}

/// `replyintent.v1.ReloadModelsResponse`.
public struct ReloadModelsResponse: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ReloadModelsResponse"

    /// Every model after the rescan (as ListModels).
    public var models: [ModelInfo]
    /// Short lines: "loaded acme/support-v2 2026.11.20+9f3a02c1", ...
    public var changes: [String]

    public init(models: [ModelInfo] = [], changes: [String] = []) {
        self.models = models
        self.changes = changes
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ReloadModelsResponse> {
        .init(
            initialize: replyintent__v1__reload_models_response__init,
            packedSize: replyintent__v1__reload_models_response__get_packed_size,
            pack: replyintent__v1__reload_models_response__pack,
            unpack: replyintent__v1__reload_models_response__unpack,
            freeUnpacked: replyintent__v1__reload_models_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ReloadModelsResponse>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        models = try [ModelInfo](count: c.n_models, cMessages: c.models, field: "models")
        changes = try CString.read(count: c.n_changes, c.changes, field: "changes")
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(models)
            + EncodeArena.byteCount(changes)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ReloadModelsResponse>, in arena: inout EncodeArena) {
        (c.pointee.n_models, c.pointee.models) = arena.messages(models)
        (c.pointee.n_changes, c.pointee.changes) = arena.strings(changes)
    }
}
