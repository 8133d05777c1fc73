@testable import HTTP2
import Testing

@Suite struct HeaderStringCacheTests {
    func field(_ cache: inout HeaderStringCache, _ name: String, _ value: String) -> HeaderField {
        let nameBytes = Array(name.utf8)
        let valueBytes = Array(value.utf8)
        return nameBytes.withUnsafeBufferPointer { n in
            valueBytes.withUnsafeBufferPointer { v in cache.field(name: n, value: v) }
        }
    }

    @Test func repeatedAndChangingFieldsDecodeExactly() {
        var cache = HeaderStringCache()
        let inputs = [
            (":path", "/a.B/C"), (":path", "/a.B/C"), (":path", "/a.B/D"), ("content-type", "application/grpc"),
            ("x-a", "1"), ("x-b", "1"), ("x-a", "2"), ("", ""), ("x-long", String(repeating: "z", count: 1000)),
            ("x-utf8", "héllo"), ("x-utf8", "héllo"),
        ]
        for _ in 0..<3 {
            for (name, value) in inputs {
                #expect(field(&cache, name, value) == HeaderField(name, value))
            }
        }
    }
}
