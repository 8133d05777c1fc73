import Testing
import Crypto

/// FIPS 180-2 / NIST CSRC example vectors for SHA-256.
@Suite struct SHA256Tests {
    @Test func emptyInput() {
        #expect(SHA256.hexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash([UInt8]()).count == 32)
    }

    @Test func abc() {
        #expect(SHA256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hash(Array("abc".utf8)) == [
                0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
            ])
    }

    @Test func twoBlockMessage() {
        #expect(
            SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hexDigest(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func millionAs() {
        let digest = SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000))
        #expect(SHA256.hex(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func nonContiguousSequencesHashLikeArrays() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(SHA256.hex(SHA256.hash(bytes.lazy.map { $0 })) == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
        #expect(SHA256.hash(bytes) == SHA256.hash(bytes.lazy.map { $0 }))
    }

    @Test func utf8TextIsHashedAsUTF8() {
        #expect(SHA256.hexDigest("héllo") == SHA256.hex(SHA256.hash(Array("héllo".utf8))))
        #expect(SHA256.hexDigest("héllo") != SHA256.hexDigest("hello"))
    }

    @Test func hexIsLowerCaseTwoDigitsPerByte() {
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(SHA256.hex([]) == "")
    }
}
