import Blocking
import RPC
import Testing

/// A unary handler has a blocking permit only when the transport runs it off the event loop.
@Suite struct UnaryContextTests {
    let info = ServerCallInfo(path: MethodPath(service: "a.B", method: "C"), requestMetadata: [:], deadline: nil, peer: "test")

    @Test func onTheLoopThereIsNoPermitAndBlockingWorkMustGoOffIt() {
        let context = UnaryContext(info: info, requestWasCompressed: false)
        #expect(context.blockingPermit == nil)
        #expect(throws: RunOffEventLoop.self) { try context.requireOffEventLoop() }
    }

    @Test func offTheLoopTheHandlerHasAPermit() throws {
        let context = UnaryContext(info: info, requestWasCompressed: false, isOnEventLoop: false)
        #expect(context.blockingPermit != nil)
        try context.requireOffEventLoop()
    }
}
