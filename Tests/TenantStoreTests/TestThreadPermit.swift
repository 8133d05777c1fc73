@_spi(BlockingPermitIssuer) import Blocking

extension BlockingPermit {
    /// The permit these tests pass to the blocking `ModelCache.snapshot`: a test thread may block
    /// for a model load (the suites wait for loads on purpose). Tests are the only code outside
    /// Sources/Blocking and RPC.UnaryContext that issues permits (Tools/check-blocking.sh).
    static var testThread: BlockingPermit { BlockingPermit() }
}
