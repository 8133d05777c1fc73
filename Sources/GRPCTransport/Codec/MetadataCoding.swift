public import RPC
public import HTTP2

/// A header field as the HTTP/2 layer gives it (lower-case name, value), so `MetadataCoding`
/// can read and write the HTTP2 module's `HeaderField` list without copying it.
/// The HTTP2 module's `HeaderField` conforms (below); tests may use their own type.
public protocol HeaderFieldConvertible {
    var name: String { get }
    var value: String { get }
    init(name: String, value: String)
}

extension HeaderField: HeaderFieldConvertible {}

/// Maps HTTP/2 header fields to and from gRPC custom ``RPC/Metadata``.
///
/// Reserved fields are never metadata: pseudo-headers (`:path`, `:status`, …), `content-type`,
/// `te`, and every `grpc-*` field except `grpc-status-details-bin` (the rich-error payload an
/// application may read or set). Names ending in `-bin` carry base64 (padded or not) on the wire
/// and bytes in `Metadata`.
public enum MetadataCoding {
    /// Whether `name` (lower-case) is a transport field rather than custom metadata.
    public static func isReserved(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first else { return true }
        if first == UInt8(ascii: ":") { return true }
        if first == UInt8(ascii: "g") && utf8.starts(with: "grpc-".utf8) {
            return name != "grpc-status-details-bin"
        }
        return name == "content-type" || name == "te"
    }

    /// The custom metadata among `fields`, in order.
    ///
    /// Lenient, like a receiver must be: a `-bin` field whose value is not base64 is left out
    /// (there are no bytes to give the application); check with ``invalidBinaryField(in:)``
    /// when that should fail the call instead.
    public static func decode<Field: HeaderFieldConvertible>(_ fields: some Sequence<Field>) -> Metadata {
        var metadata = Metadata()
        for field in fields { add(name: field.name, value: field.value, to: &metadata) }
        return metadata
    }

    /// The custom metadata among `(name, value)` pairs, in order (see the generic overload).
    public static func decode(_ fields: some Sequence<(String, String)>) -> Metadata {
        var metadata = Metadata()
        for (name, value) in fields { add(name: name, value: value, to: &metadata) }
        return metadata
    }

    /// The name of the first `-bin` metadata field whose value is not valid base64, if any.
    public static func invalidBinaryField<Field: HeaderFieldConvertible>(in fields: some Sequence<Field>) -> String? {
        for field in fields where !isReserved(field.name) && Metadata.isBinaryKey(field.name) {
            if Base64.decode(field.value) == nil { return field.name }
        }
        return nil
    }

    private static func add(name: String, value: String, to metadata: inout Metadata) {
        guard !isReserved(name) else { return }
        if Metadata.isBinaryKey(name) {
            guard let bytes = Base64.decode(value) else { return }
            metadata.add(Metadata.Entry(name: name, value: .binary(bytes)))
        } else {
            metadata.add(Metadata.Entry(name: name, value: .string(value)))
        }
    }

    /// Appends `metadata` as header fields; binary values are base64-encoded without padding.
    ///
    /// Entries that cannot go on the wire are skipped (see ``validate(_:)``): call `validate`
    /// first on metadata an application supplied, to fail the call with its message instead.
    public static func encode<Field: HeaderFieldConvertible>(_ metadata: Metadata, into fields: inout [Field]) {
        for entry in metadata {
            if case .success(let (name, value)) = encode(entry) { fields.append(Field(name: name, value: value)) }
        }
    }

    /// Appends `metadata` as `(name, value)` pairs (see the generic overload).
    public static func encode(_ metadata: Metadata, into fields: inout [(String, String)]) {
        for entry in metadata {
            if case .success(let pair) = encode(entry) { fields.append(pair) }
        }
    }

    /// The first entry that cannot be sent, as an `INTERNAL` error naming it: a reserved name,
    /// a name that is not a lower-case token (`0-9 a-z - _ .`), a text value outside printable
    /// ASCII, or a binary value under a name without `-bin` (and the reverse). nil when all are fine.
    public static func validate(_ metadata: Metadata) -> RPCError? {
        for entry in metadata {
            if case .failure(let error) = encode(entry) { return error }
        }
        return nil
    }

    private static func encode(_ entry: Metadata.Entry) -> Result<(String, String), RPCError> {
        let name = entry.name
        guard !isReserved(name) else {
            return .failure(RPCError(.internal, "metadata name '\(name)' is reserved for the gRPC transport"))
        }
        guard name.utf8.allSatisfy(isNameByte) else {
            return .failure(RPCError(.internal, "metadata name '\(name)' is invalid: use only 0-9 a-z - _ ."))
        }
        switch entry.value {
        case .binary(let bytes):
            guard Metadata.isBinaryKey(name) else {
                return .failure(RPCError(.internal, "binary metadata '\(name)' needs a name ending in '-bin'"))
            }
            return .success((name, Base64.encode(bytes)))
        case .string(let text):
            guard !Metadata.isBinaryKey(name) else {
                return .failure(RPCError(.internal, "metadata '\(name)' ends in '-bin' but has a text value; add it as binary"))
            }
            guard text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else {
                return .failure(RPCError(
                    .internal, "metadata '\(name)' has a value outside printable ASCII; use a '-bin' key for binary data"))
            }
            return .success((name, text))
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}
