import Crypto
import Testing

@Suite struct ConstantTimeTests {
    @Test func comparesBytes() {
        #expect(ConstantTime.isEqual([], []))
        #expect(ConstantTime.isEqual([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.isEqual([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.isEqual([0, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.isEqual([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.isEqual([], [0]))
    }
}
