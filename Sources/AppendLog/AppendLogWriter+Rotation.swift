internal import Posix
internal import Synchronization

extension AppendLogWriter {
    /// Rotates the log `file` belongs to, unless another process did already, and returns the
    /// file to write to now. Holds the directory's `flock` throughout, so two processes never
    /// rename the same generations at once (which could rename a rotated file over another).
    ///
    /// `x.<keep-1>` → `x.<keep>` (replacing the oldest), …, `x.1` → `x.2`, `x` → `x.1`, then a
    /// fresh `x`. Generations past `keepFiles` (left by a larger setting before) are deleted.
    func rotate(_ file: OpenFile, adding count: Int) throws(SystemCallError) -> OpenFile {
        let names = file.names
        let lock = try DirectoryLock(path: names.directory)
        defer { lock.unlock() }
        // Under the lock, look again: another process may have rotated while we waited.
        var current = file
        var status = try current.file.status()
        if !status.isAtPath {
            current = try reopen(current)
            counters.reopens.add(1, ordering: .relaxed)
            status = try current.file.status()
        }
        guard status.size > 0 && status.size + count > configuration.maxFileBytes else { return current }

        // Sync the lines before the file leaves the live name (cheap next to a rotation).
        if current.dirty { sync(current) }
        let keep = configuration.keepFiles
        for generation in stride(from: keep - 1, through: 1, by: -1) {
            try renameIfPresent(names.rotated(generation), over: names.rotated(generation + 1))
        }
        try FileSystem.rename(names.path, over: names.rotated(1))
        var extra = keep + 1
        while try FileSystem.removeFile(names.rotated(extra)) { extra += 1 }
        dirtyDirectories.insert(names.directory)
        counters.rotations.add(1, ordering: .relaxed)
        closeFile(current)
        return try openFile(names.path)
    }

    private func renameIfPresent(_ source: String, over destination: String) throws(SystemCallError) {
        do throws(SystemCallError) {
            try FileSystem.rename(source, over: destination)
        } catch where error.isNoSuchFile {
            // That generation does not exist (yet): nothing to move.
        }
    }
}
