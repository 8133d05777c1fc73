internal import Glibc
internal import CPosix

/// `CLOCK_MONOTONIC` in nanoseconds: for deadlines and timers, never for wall time.
public func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}
