/// A socket's owner, told by its ``EventLoop`` when the socket is ready. Called on the loop thread.
///
/// Readiness is level-triggered: if a handler leaves bytes unread it is called again next
/// iteration. A hang-up or socket error is reported to whichever callbacks are registered
/// (`read`/`write` then returns the error or EOF), so handlers must tolerate a call that finds
/// nothing to do.
public protocol EventHandler: AnyObject {
    func onReadable()
    func onWritable()
}

/// Gets one call at the end of the loop iteration in which it was queued with
/// ``EventLoop/afterIteration(notify:)``: after every event of the batch is handled, so output
/// produced by many events can be flushed with one write.
public protocol IterationEndHandler: AnyObject {
    func onIterationEnd()
}
