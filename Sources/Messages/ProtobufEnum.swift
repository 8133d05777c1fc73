/// A proto3 enum as a Swift value. Open, like every proto3 enum: a value the proto does not
/// declare survives decoding and encoding (a service that needs a known value checks ``isKnown``).
public protocol ProtobufEnum: RawRepresentable, Sendable, Hashable, CustomStringConvertible where RawValue == Int32 {
    /// The fully qualified proto name, such as `replyintent.v1.Platform`.
    static var protoName: String { get }
    /// The values the proto declares with their proto names, in declaration order.
    static var protoValues: [(rawValue: Int32, name: String)] { get }
    init(rawValue: Int32)
}

extension ProtobufEnum {
    /// Whether the proto declares this value.
    public var isKnown: Bool { Self.protoValues.contains { $0.rawValue == rawValue } }

    /// The proto name (`PLATFORM_SHOPEE`), or `Platform(12)` for a value the proto does not declare.
    public var description: String {
        Self.protoValues.first { $0.rawValue == rawValue }?.name
            ?? "\(Self.protoName.split(separator: ".").last!)(\(rawValue))"
    }

    /// The value protobuf-c holds in a C enum field.
    @inline(__always)
    init<C: RawRepresentable>(c value: C) where C.RawValue: FixedWidthInteger {
        self.init(rawValue: Int32(truncatingIfNeeded: value.rawValue))
    }

    /// The C enum value to store in a protobuf-c struct.
    @inline(__always)
    func c<C: RawRepresentable>() -> C where C.RawValue: FixedWidthInteger {
        C(rawValue: C.RawValue(truncatingIfNeeded: rawValue))!
    }
}
