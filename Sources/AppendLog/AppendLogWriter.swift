internal import Posix
internal import Synchronization

/// The writer thread's side of an ``AppendLog``: the open files, which of them have unsynced
/// lines, and when the next background fsync is due. Created and used on that thread only.
final class AppendLogWriter {
    /// One open log file and its sync state.
    final class OpenFile {
        let file: AppendOnlyFile
        let names: RotatedFileNames
        /// Lines written since the last fsync.
        var dirty = false
        /// The outcome of the last fsync (for a zero interval, read by the lines that wait on it).
        var syncError: SystemCallError?
        var lastUse: UInt64 = 0

        init(file: AppendOnlyFile, names: RotatedFileNames) {
            self.file = file
            self.names = names
        }
    }

    let configuration: AppendLogConfiguration
    let counters: AppendLogCounters
    private let syncEachBatch: Bool
    private let intervalNanoseconds: UInt64
    var files: [String: OpenFile] = [:]
    /// Directories whose entries changed (file created, rotation) since they were last synced.
    var dirtyDirectories: Set<String> = []
    /// The error of each directory's last failed sync (for a zero interval, read by its lines).
    private var directorySyncErrors: [String: SystemCallError] = [:]
    private var useCounter: UInt64 = 0
    /// When the background fsync is due (monotonic nanoseconds); nil while nothing is unsynced.
    private var syncDue: UInt64?

    init(configuration: AppendLogConfiguration, counters: AppendLogCounters) {
        self.configuration = configuration
        self.counters = counters
        intervalNanoseconds = configuration.fsyncIntervalNanoseconds
        syncEachBatch = intervalNanoseconds == 0
    }

    /// Serves `queue` until it is closed and drained, then syncs and closes every file.
    func run(_ queue: AppendQueue) {
        while true {
            let (requests, closing) = queue.take()
            if !requests.isEmpty {
                let outcomes = write(requests)
                queue.answered(requests.count)  // before resuming: a resumed task sees its line counted out
                for (request, outcome) in zip(requests, outcomes) { request.answer(outcome) }
                continue
            }
            if closing { break }
            let now = monotonicNanoseconds()
            if let due = syncDue, due <= now {
                syncInBackground()
                continue
            }
            queue.waitForWork(until: syncDue, now: now)
        }
        syncInBackground()
        for file in files.values { file.file.close() }
        files.removeAll()
    }

    /// Writes a batch of lines, each with its own write(2), and returns each one's outcome: at
    /// once, or, with a zero interval, after one fsync per file the batch touched (group commit).
    private func write(_ requests: [AppendRequest]) -> [Result<Void, AppendLogError>] {
        var outcomes: [(request: AppendRequest, file: OpenFile?, error: AppendLogError?)] = []
        outcomes.reserveCapacity(requests.count)
        for request in requests {
            do throws(SystemCallError) {
                let file = try prepareFile(for: request.path, adding: request.bytes.count)
                do throws(SystemCallError) {
                    try file.file.append(request.bytes)
                    file.dirty = true
                    counters.linesWritten.add(1, ordering: .relaxed)
                } catch {
                    // The line may be partly written; start from a fresh open next time.
                    closeFile(file)
                    throw error
                }
                outcomes.append((request, file, nil))
            } catch {
                outcomes.append((request, nil, .system(error)))
            }
        }
        if syncEachBatch {
            for (_, file, _) in outcomes where file?.dirty == true { sync(file!) }
            syncDirectories()
        } else if syncDue == nil {
            syncDue = monotonicNanoseconds() &+ intervalNanoseconds
        }
        return outcomes.map { _, file, error in
            if let error { return .failure(error) }
            if syncEachBatch, let file, let syncError = file.syncError ?? directorySyncErrors[file.names.directory] {
                return .failure(.system(syncError))
            }
            return .success(())
        }
    }

    /// The open file for `path`, ready for a line of `count` bytes: reopened when another
    /// process rotated (or someone deleted) the file it had open, rotated first when the line
    /// would take it past the size limit.
    private func prepareFile(for path: String, adding count: Int) throws(SystemCallError) -> OpenFile {
        var file = try openFile(path)
        var status = try file.file.status()
        if !status.isAtPath {
            file = try reopen(file)
            counters.reopens.add(1, ordering: .relaxed)
            status = try file.file.status()
        }
        if status.size > 0 && status.size + count > configuration.maxFileBytes {
            file = try rotate(file, adding: count)
        }
        useCounter += 1
        file.lastUse = useCounter
        return file
    }

    /// The file open for `path`, opening it (and making its directory) when needed.
    func openFile(_ path: String) throws(SystemCallError) -> OpenFile {
        if let file = files[path] { return file }
        if files.count >= configuration.maxOpenFiles,
            let leastRecent = files.values.min(by: { $0.lastUse < $1.lastUse })
        {
            closeFile(leastRecent)
        }
        let names = RotatedFileNames(path: path)
        let file: AppendOnlyFile
        do throws(SystemCallError) {
            file = try AppendOnlyFile(path: path, permissions: configuration.filePermissions)
        } catch where error.isNoSuchFile {
            try FileSystem.makeDirectories(names.directory, permissions: configuration.directoryPermissions)
            file = try AppendOnlyFile(path: path, permissions: configuration.filePermissions)
        }
        let open = OpenFile(file: file, names: names)
        files[path] = open
        // The file may have just been created: its directory entry needs a sync to be durable.
        dirtyDirectories.insert(names.directory)
        return open
    }

    /// Closes `file` (fsyncing it first when it has unsynced lines) and forgets it.
    func closeFile(_ file: OpenFile) {
        if file.dirty { sync(file) }
        file.file.close()
        if files[file.file.path] === file { files[file.file.path] = nil }
    }

    func reopen(_ file: OpenFile) throws(SystemCallError) -> OpenFile {
        closeFile(file)
        return try openFile(file.file.path)
    }

    func sync(_ file: OpenFile) {
        counters.fileSyncs.add(1, ordering: .relaxed)
        do {
            try file.file.sync()
            file.syncError = nil
            file.dirty = false
        } catch {
            file.syncError = error
            file.dirty = false  // fsync reported it; retrying would claim durability it cannot give
            if !syncEachBatch { configuration.onBackgroundFailure?(.system(error)) }
        }
    }

    private func syncDirectories() {
        for directory in dirtyDirectories {
            do {
                try FileSystem.syncDirectory(directory)
                directorySyncErrors[directory] = nil
            } catch {
                directorySyncErrors[directory] = error
                if !syncEachBatch { configuration.onBackgroundFailure?(.system(error)) }
            }
        }
        dirtyDirectories.removeAll()
    }

    /// The periodic fsync: every file with unsynced lines, and changed directories.
    private func syncInBackground() {
        for file in files.values where file.dirty { sync(file) }
        syncDirectories()
        syncDue = nil
    }
}
