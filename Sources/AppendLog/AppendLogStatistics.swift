internal import Synchronization

/// What an ``AppendLog``'s writer has done so far (for tests, diagnostics and metrics).
public struct AppendLogStatistics: Sendable, Equatable {
    /// Lines written (each with its own write(2) call, or more after a short write).
    public var linesWritten: Int
    /// fsync(2) calls on log files (directories not counted).
    public var fileSyncs: Int
    /// Rotations this process did.
    public var rotations: Int
    /// Times an open file no longer had the live name (another process rotated it, or it was
    /// deleted) and the path was opened again.
    public var reopens: Int
}

/// The writer thread's counters, read from any thread.
final class AppendLogCounters: Sendable {
    let linesWritten = Atomic<Int>(0)
    let fileSyncs = Atomic<Int>(0)
    let rotations = Atomic<Int>(0)
    let reopens = Atomic<Int>(0)

    var snapshot: AppendLogStatistics {
        AppendLogStatistics(
            linesWritten: linesWritten.load(ordering: .relaxed), fileSyncs: fileSyncs.load(ordering: .relaxed),
            rotations: rotations.load(ordering: .relaxed), reopens: reopens.load(ordering: .relaxed))
    }
}
