internal import Glibc
internal import CPosix

/// The one place system-call return codes become Swift values.
///
/// - `EINTR` is retried here, so no caller ever sees it.
/// - `EAGAIN`/`EWOULDBLOCK` (and `EINPROGRESS` where the call says so) come back as `nil` from
///   ``retryingNonBlocking(_:_:)``: "would block" is an answer, not an error.
/// - every other `-1` becomes a ``SystemCallError`` naming the call.
enum SystemCall {
    /// Runs `body` until it does not fail with `EINTR`; throws for any other failure.
    @inline(__always)
    static func retrying<T: FixedWidthInteger>(_ call: @autoclosure () -> String, _ body: () -> T) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemCallError(call: call(), errno: code)
        }
    }

    /// Like ``retrying(_:_:)``, but `EAGAIN`/`EWOULDBLOCK` give nil.
    @inline(__always)
    static func retryingNonBlocking<T: FixedWidthInteger>(
        _ call: @autoclosure () -> String, _ body: () -> T
    ) throws(SystemCallError) -> T? {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw SystemCallError(call: call(), errno: code)
        }
    }
}
