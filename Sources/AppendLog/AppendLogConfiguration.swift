/// How an ``AppendLog`` writes, syncs and rotates its files.
public struct AppendLogConfiguration: Sendable {
    /// How often written lines are fsynced (every file with unsynced lines, on the writer thread).
    /// `.zero`: each line is fsynced before its ``AppendLog/append(_:to:)`` returns. Either way a
    /// line is written (in the kernel) before `append` returns, so a killed process loses none;
    /// a power loss can take at most the lines of the last interval.
    public var fsyncInterval: Duration
    /// A file is rotated when a line would take it past this many bytes (a line longer than the
    /// limit still goes, alone, into a fresh file).
    public var maxFileBytes: Int
    /// Rotated files kept per log (`name.1.ext` newest … `name.<keepFiles>.ext` oldest); older ones are deleted.
    public var keepFiles: Int
    /// Lines accepted but not yet written; past it ``AppendLog/append(_:to:)`` fails at once
    /// with ``AppendLogError/queueFull(limit:)`` instead of holding more memory.
    public var maxPendingLines: Int
    /// Files kept open at once; the least recently used one is synced and closed past it.
    public var maxOpenFiles: Int
    /// Mode of new files and of the directories made for them (less the umask).
    public var filePermissions: UInt32
    public var directoryPermissions: UInt32
    /// The writer thread's name (seen in `top -H`, debuggers).
    public var threadName: String
    /// Told about a failed background fsync or directory sync (nobody waits for those, so this
    /// is the only place they can be reported). Called on the writer thread.
    public var onBackgroundFailure: (@Sendable (AppendLogError) -> Void)?

    public init(
        fsyncInterval: Duration = .seconds(1), maxFileBytes: Int = 64 << 20, keepFiles: Int = 5,
        maxPendingLines: Int = 10_000, maxOpenFiles: Int = 256, filePermissions: UInt32 = 0o640,
        directoryPermissions: UInt32 = 0o750, threadName: String = "append-log",
        onBackgroundFailure: (@Sendable (AppendLogError) -> Void)? = nil
    ) {
        precondition(fsyncInterval >= .zero && maxFileBytes > 0 && keepFiles > 0, "AppendLogConfiguration out of range")
        precondition(maxPendingLines > 0 && maxOpenFiles > 0, "AppendLogConfiguration out of range")
        self.fsyncInterval = fsyncInterval
        self.maxFileBytes = maxFileBytes
        self.keepFiles = keepFiles
        self.maxPendingLines = maxPendingLines
        self.maxOpenFiles = maxOpenFiles
        self.filePermissions = filePermissions
        self.directoryPermissions = directoryPermissions
        self.threadName = threadName
        self.onBackgroundFailure = onBackgroundFailure
    }

    /// ``fsyncInterval`` in nanoseconds (0 = sync before acknowledging).
    var fsyncIntervalNanoseconds: UInt64 {
        let (seconds, attoseconds) = fsyncInterval.components
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
