import Crypto
import Testing

@Suite struct OpenSSLErrorQueueTests {
    @Test func anEmptyQueueGivesTheFallbackText() {
        OpenSSLErrorQueue.clear()
        #expect(OpenSSLErrorQueue.drain() == "")
        #expect(OpenSSLErrorQueue.reason() == "unknown OpenSSL error")
        #expect(OpenSSLErrorQueue.reason(fallback: "the random generator failed") == "the random generator failed")
    }

    @Test func cryptoErrorNamesTheCallAndTheReason() {
        let error = CryptoError(operation: "RAND_bytes(32)", reason: "the random generator failed")
        #expect(error.description == "OpenSSL RAND_bytes(32): the random generator failed")
    }
}
