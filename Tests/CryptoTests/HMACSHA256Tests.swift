import Foundation
import Crypto
import Testing

/// RFC 4231 test vectors for HMAC-SHA256 (cases 1-4, 6 and 7; case 5 is a truncated output).
@Suite struct HMACSHA256Tests {
    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    static let largeKey = [UInt8](repeating: 0xaa, count: 131)

    /// (key, message, expected code in hex)
    static let vectors: [([UInt8], [UInt8], String)] = [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (largeKey, Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (largeKey,
         Array(("This is a test using a larger than block-size key and a larger than block-size data. The key needs to"
            + " be hashed before being used by the HMAC algorithm.").utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: vectors)
    func rfc4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(HMACSHA256(key: key).mac(message) == Self.bytes(expected))
        #expect(HMACSHA256.mac(key: key, message: message) == Self.bytes(expected))
        #expect(HMACSHA256(key: key).mac(AnySequence(message)) == Self.bytes(expected), "non-contiguous input")
    }

    @Test func oneKeyGivesTheSameCodeEveryTimeAndDifferentMessagesDifferentCodes() {
        let key = HMACSHA256(key: Array("k".utf8))
        #expect(key.mac(Array("a".utf8)) == key.mac(Array("a".utf8)))
        #expect(key.mac(Array("a".utf8)) != key.mac(Array("b".utf8)))
        #expect(key.mac([]) == HMACSHA256.mac(key: Array("k".utf8), message: []))
        #expect(key.mac(Array("a".utf8)) != HMACSHA256.mac(key: Array("K".utf8), message: Array("a".utf8)))
    }

    /// Many threads share one key (as the event loops share the tokens file's salt).
    @Test func oneKeyIsSafeToUseFromManyThreadsAtOnce() async {
        let key = HMACSHA256(key: [UInt8](repeating: 7, count: 32))
        let messages = (0..<64).map { Array("token-\($0)".utf8) }
        let expected = messages.map { HMACSHA256.mac(key: [UInt8](repeating: 7, count: 32), message: $0) }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<200 {
                        let index = (worker * 7 + round) % messages.count
                        if key.mac(messages[index]) != expected[index] { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
