/// Proof that the current thread may block (wait on a file read, a model load, a lock held across
/// I/O). APIs that block take one, so a call that could stall an event loop or a thread of Swift's
/// cooperative pool does not compile there: the code has no permit to pass.
///
/// Only two places issue permits: ``BlockingWork/run(_:)`` (the work runs on a Dispatch thread),
/// and `RPC.UnaryContext.blockingPermit`, for a unary handler the transport runs again off its event
/// loop. The initializer is SPI (`BlockingPermitIssuer`), and Tools/check-blocking.sh fails when
/// any other file of Sources/ imports that SPI or creates a permit.
///
/// Not `Sendable`: a permit cannot be captured by a `@Sendable` closure or a task, so it does not
/// leave the thread it was issued for.
public struct BlockingPermit {
    @_spi(BlockingPermitIssuer) public init() {}
}

@available(*, unavailable, message: "a BlockingPermit is valid only on the thread it was issued for")
extension BlockingPermit: Sendable {}
