import Testing
@testable import GRPCTransport

@Suite struct PercentEncodingTests {
    /// The interop `special_status_message` text.
    static let specialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"

    static let encodings: [(String, String)] = [
        ("", ""),
        ("plain ASCII stays as is: ~!@#$^&*()", "plain ASCII stays as is: ~!@#$^&*()"),
        ("100%", "100%25"),
        ("a\tb", "a%09b"),
        ("\u{7F}", "%7F"),
        ("é", "%C3%A9"),
        (specialStatusMessage,
         "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A"),
    ]

    @Test(arguments: encodings)
    func encodes(_ message: String, _ encoded: String) {
        #expect(PercentEncoding.encode(message) == encoded)
        #expect(PercentEncoding.decode(encoded) == message)
    }

    @Test(arguments: [specialStatusMessage, "%%%", "%zz", "日本語のメッセージ", "\0nul", "a%2"])
    func roundTrips(_ message: String) {
        let encoded = PercentEncoding.encode(message)
        #expect(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
        #expect(PercentEncoding.decode(encoded) == message)
    }

    static let tolerated: [(String, String)] = [
        ("%", "%"),
        ("%4", "%4"),
        ("%zz", "%zz"),
        ("50%!", "50%!"),
        ("%e2%98%ba", "☺"),  // lower-case hex is accepted
        ("%FF", "\u{FFFD}"),  // not UTF-8: replacement character, message kept
        ("ok %41", "ok A"),
    ]

    @Test(arguments: tolerated)
    func decodingToleratesBadSequences(_ encoded: String, _ decoded: String) {
        #expect(PercentEncoding.decode(encoded) == decoded)
    }
}
