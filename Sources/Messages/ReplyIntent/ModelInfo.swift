internal import CReplyIntentProtos

/// `replyintent.v1.ModelInfo`: one model the server knows, loaded or not.
public struct ModelInfo: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.ModelInfo"

    /// `replyintent.v1.ModelState`: where a model is in its life. Open: check ``isKnown``.
    public struct State: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let unspecified = State(rawValue: 0)
        /// In memory and serving.
        public static let loaded = State(rawValue: 1)
        /// Evicted to stay within the memory budget; loaded again on its next use.
        public static let evicted = State(rawValue: 2)
        /// Its file never loaded.
        public static let failed = State(rawValue: 3)

        public var isKnown: Bool { (0...3).contains(rawValue) }

        public var description: String {
            switch rawValue {
            case 0: "MODEL_STATE_UNSPECIFIED"
            case 1: "MODEL_STATE_LOADED"
            case 2: "MODEL_STATE_EVICTED"
            case 3: "MODEL_STATE_FAILED"
            default: "ModelState(\(rawValue))"
            }
        }

        init(_ value: Replyintent__V1__ModelState) { rawValue = Int32(bitPattern: value.rawValue) }
        var cValue: Replyintent__V1__ModelState { .init(rawValue: UInt32(bitPattern: rawValue)) }
    }

    /// Owner; empty for the shared default model.
    public var tenant: String
    public var name: String
    /// As ``ModelRef/version``; empty when it never loaded.
    public var version: String
    public var state: State
    /// The file it is loaded from.
    public var path: String
    public var sizeBytes: UInt64
    public var loadedAtUnixMs: Int64
    public var loadDurationMs: Double
    /// 0: never used.
    public var lastUsedUnixMs: Int64
    /// Why the last attempt to load a new file failed; empty when it succeeded.
    public var lastError: String
    public var lastErrorAtUnixMs: Int64

    public init(
        tenant: String = "", name: String = "", version: String = "", state: State = .unspecified, path: String = "",
        sizeBytes: UInt64 = 0, loadedAtUnixMs: Int64 = 0, loadDurationMs: Double = 0, lastUsedUnixMs: Int64 = 0,
        lastError: String = "", lastErrorAtUnixMs: Int64 = 0
    ) {
        self.tenant = tenant
        self.name = name
        self.version = version
        self.state = state
        self.path = path
        self.sizeBytes = sizeBytes
        self.loadedAtUnixMs = loadedAtUnixMs
        self.loadDurationMs = loadDurationMs
        self.lastUsedUnixMs = lastUsedUnixMs
        self.lastError = lastError
        self.lastErrorAtUnixMs = lastErrorAtUnixMs
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__ModelInfo> {
        .init(
            initialize: replyintent__v1__model_info__init, packedSize: replyintent__v1__model_info__get_packed_size,
            pack: replyintent__v1__model_info__pack, unpack: replyintent__v1__model_info__unpack,
            freeUnpacked: replyintent__v1__model_info__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__ModelInfo>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        tenant = try CString.read(c.tenant, field: "tenant")
        name = try CString.read(c.name, field: "name")
        version = try CString.read(c.version, field: "version")
        state = State(c.state)
        path = try CString.read(c.path, field: "path")
        sizeBytes = c.size_bytes
        loadedAtUnixMs = c.loaded_at_unix_ms
        loadDurationMs = c.load_duration_ms
        lastUsedUnixMs = c.last_used_unix_ms
        lastError = try CString.read(c.last_error, field: "last_error")
        lastErrorAtUnixMs = c.last_error_at_unix_ms
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(tenant)
            + EncodeArena.byteCount(name)
            + EncodeArena.byteCount(version)
            + EncodeArena.byteCount(path)
            + EncodeArena.byteCount(lastError)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__ModelInfo>, in arena: inout EncodeArena) {
        if let tenant = arena.string(tenant) { c.pointee.tenant = tenant }
        if let name = arena.string(name) { c.pointee.name = name }
        if let version = arena.string(version) { c.pointee.version = version }
        c.pointee.state = state.cValue
        if let path = arena.string(path) { c.pointee.path = path }
        c.pointee.size_bytes = sizeBytes
        c.pointee.loaded_at_unix_ms = loadedAtUnixMs
        c.pointee.load_duration_ms = loadDurationMs
        c.pointee.last_used_unix_ms = lastUsedUnixMs
        if let lastError = arena.string(lastError) { c.pointee.last_error = lastError }
        c.pointee.last_error_at_unix_ms = lastErrorAtUnixMs
    }
}
