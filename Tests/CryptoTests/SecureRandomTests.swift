import Crypto
import Testing

@Suite struct SecureRandomTests {
    @Test func givesTheAskedNumberOfBytesAndNeverTheSameTwice() throws {
        #expect(try SecureRandom.bytes(0).isEmpty)
        let first = try SecureRandom.bytes(32)
        let second = try SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(Set(try SecureRandom.bytes(4096)).count > 200, "all byte values show up")
    }
}
