internal import CReplyIntentProtos

/// `replyintent.v1.SuggestReplyRequest`: asks for a reply suggestion.
public struct SuggestReplyRequest: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.SuggestReplyRequest"

    public var message: BuyerMessage?
    /// Values for the template variables, by name. Encoded sorted by key (deterministic bytes);
    /// on decode a repeated key keeps its last value, as protobuf maps do.
    public var variables: [String: String]
    /// As in ``ClassifyIntentRequest/model``.
    public var model: String

    public init(message: BuyerMessage? = nil, variables: [String: String] = [:], model: String = "") {
        self.message = message
        self.variables = variables
        self.model = model
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__SuggestReplyRequest> {
        .init(
            initialize: replyintent__v1__suggest_reply_request__init,
            packedSize: replyintent__v1__suggest_reply_request__get_packed_size,
            pack: replyintent__v1__suggest_reply_request__pack,
            unpack: replyintent__v1__suggest_reply_request__unpack,
            freeUnpacked: replyintent__v1__suggest_reply_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__SuggestReplyRequest>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        message = try BuyerMessage.read(c.message, field: "message")
        variables = [:]
        if c.n_variables > 0, let entries = c.variables {
            variables.reserveCapacity(c.n_variables)
            for index in 0..<c.n_variables {
                guard let entry = entries[index] else { continue }
                let key = try CString.read(entry.pointee.key, field: "variables[\(index)].key")
                variables[key] = try CString.read(entry.pointee.value, field: "variables[\(key)]")
            }
        }
        model = try CString.read(c.model, field: "model")
    }

    typealias VariablesEntry = Replyintent__V1__SuggestReplyRequest__VariablesEntry

    var arenaByteCount: Int {
        var total = EncodeArena.byteCount(message) + EncodeArena.byteCount(model)
            + EncodeArena.pointersByteCount(VariablesEntry.self, count: variables.count)
        for (key, value) in variables {
            total += EncodeArena.structByteCount(VariablesEntry.self) + EncodeArena.byteCount(key)
                + EncodeArena.byteCount(value)
        }
        return total
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__SuggestReplyRequest>, in arena: inout EncodeArena) {
        c.pointee.message = arena.message(message)
        if let model = arena.string(model) { c.pointee.model = model }
        if variables.isEmpty { return }
        // Sorted by key, so equal maps always encode to equal bytes.
        let entries = arena.pointerArray(VariablesEntry.self, count: variables.count)
        for (index, (key, value)) in variables.sorted(by: { $0.key < $1.key }).enumerated() {
            let entry = arena.cStruct(
                VariablesEntry.self, initialize: replyintent__v1__suggest_reply_request__variables_entry__init)
            if let key = arena.string(key) { entry.pointee.key = key }
            if let value = arena.string(value) { entry.pointee.value = value }
            entries[index] = entry
        }
        c.pointee.n_variables = variables.count
        c.pointee.variables = entries
    }
}
