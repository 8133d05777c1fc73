/// Carries a loop-owned object across threads so a closure can be handed to
/// `EventLoop.execute`. The wrapped object is only ever touched on its event loop's thread
/// (the closure runs there); other threads only move the reference.
final class LoopBound<Value: AnyObject>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
