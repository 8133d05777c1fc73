import Testing
import Posix

/// Serialized: `Signals.block` names the calling thread as the one that waits.
@Suite(.serialized) struct SignalsTests {
    @Test func blockedSignalRaisedInThisThreadIsReturnedByWait() {
        let usr1: Int32 = 10
        Signals.block([usr1])
        Signals.raiseInCurrentThread(usr1)
        #expect(Signals.wait([usr1], timeoutNanoseconds: 1_000_000_000) == usr1)
        #expect(Signals.wait([usr1], timeoutNanoseconds: 1_000_000) == nil)
    }

    @Test func signalLandingOnAThreadThatDoesNotBlockItIsForwardedToTheWaiter() throws {
        let usr2: Int32 = 12
        Signals.block([usr2])
        let loop = try EventLoop(name: "signal-sender")
        loop.start()
        defer { loop.stop(); loop.join() }
        loop.execute {
            // Like a thread that existed before main blocked the signal.
            Signals.unblockInCurrentThread([usr2])
            Signals.raiseInCurrentThread(usr2)
        }
        #expect(Signals.wait([usr2], timeoutNanoseconds: 5_000_000_000) == usr2)
    }

    @Test func names() {
        #expect(Signals.name(of: Signals.terminate) == "SIGTERM")
        #expect(Signals.name(of: Signals.interrupt) == "SIGINT")
        #expect(Signals.shutdownSignals.contains(Signals.hangup))
    }
}
