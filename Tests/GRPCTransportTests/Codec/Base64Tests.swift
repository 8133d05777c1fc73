import Testing
@testable import GRPCTransport

@Suite struct Base64Tests {
    static let vectors: [(String, String, String)] = [  // RFC 4648 section 10
        ("", "", ""),
        ("f", "Zg", "Zg=="),
        ("fo", "Zm8", "Zm8="),
        ("foo", "Zm9v", "Zm9v"),
        ("foob", "Zm9vYg", "Zm9vYg=="),
        ("fooba", "Zm9vYmE", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func rfcVectors(_ plain: String, _ unpadded: String, _ padded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == unpadded)
        #expect(Base64.encode(Array(plain.utf8), padded: true) == padded)
        #expect(Base64.decode(unpadded) == Array(plain.utf8))
        #expect(Base64.decode(padded) == Array(plain.utf8))
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = (0...255).map(UInt8.init)
        for length in 0...bytes.count {
            let slice = Array(bytes.prefix(length))
            #expect(Base64.decode(Base64.encode(slice)) == slice)
            #expect(Base64.decode(Base64.encode(slice, padded: true)) == slice)
        }
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8")
    }

    @Test(arguments: ["Z", "Zg=", "Zg===", "=Zg=", "Zm9v!", "Zm 9v", "Zm9v\n", "Z=g=", "-_8"])
    func rejectsInvalid(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
