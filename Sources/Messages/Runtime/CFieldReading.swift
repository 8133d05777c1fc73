internal import CProtobufC
internal import CReplyIntentProtos

/// Reading `string` fields, checked for UTF-8.
enum CString {
    /// A `string` field: NULL or protobuf-c's NUL-terminated copy of the wire bytes.
    @inline(__always)
    static func read(_ pointer: UnsafeMutablePointer<CChar>?, field: String) throws(InvalidUTF8Field) -> String {
        guard let pointer, pointer.pointee != 0 else { return "" }
        guard let string = String(validatingCString: pointer) else { throw InvalidUTF8Field(path: field) }
        return string
    }

    /// A `repeated string` field.
    static func read(
        count: Int, _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, field: String
    ) throws(InvalidUTF8Field) -> [String] {
        guard count > 0, let pointers else { return [] }
        var strings: [String] = []
        strings.reserveCapacity(count)
        for index in 0..<count {
            do throws(InvalidUTF8Field) {
                strings.append(try read(pointers[index], field: field))
            } catch {
                throw InvalidUTF8Field(path: "\(field)[\(index)]")
            }
        }
        return strings
    }
}

/// Reading the other field kinds out of a C message.
enum CField {
    /// A `bytes` field, copied out of the C message.
    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let start = data.data else { return [] }
        return [UInt8](UnsafeBufferPointer(start: start, count: data.len))
    }

    /// A repeated scalar or enum field, each element converted by `element`.
    static func array<C, Element>(
        count: Int, _ values: UnsafeMutablePointer<C>?, _ element: (C) -> Element
    ) -> [Element] {
        guard count > 0, let values else { return [] }
        return UnsafeBufferPointer(start: values, count: count).map(element)
    }

    /// A map field: protobuf-c's array of entry messages. A repeated key keeps its last value,
    /// as protobuf maps do. A key that is not UTF-8 is named `field[index].key`, a value
    /// `field[key]` (then the path inside a message value).
    static func map<Entry, Key: Hashable, Value>(
        count: Int, _ entries: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?, field: String,
        key: (Entry) throws(InvalidUTF8Field) -> Key, value: (Entry) throws(InvalidUTF8Field) -> Value
    ) throws(InvalidUTF8Field) -> [Key: Value] {
        var map: [Key: Value] = [:]
        guard count > 0, let entries else { return map }
        map.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = entries[index]?.pointee else { continue }
            let entryKey: Key
            do throws(InvalidUTF8Field) {
                entryKey = try key(entry)
            } catch {
                throw InvalidUTF8Field(path: "\(field)[\(index)].key")
            }
            do throws(InvalidUTF8Field) {
                map[entryKey] = try value(entry)
            } catch {
                throw InvalidUTF8Field(path: "\(field)[\(entryKey)]" + (error.path.isEmpty ? "" : "." + error.path))
            }
        }
        return map
    }
}
