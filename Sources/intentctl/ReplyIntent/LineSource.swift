internal import Foundation
internal import Posix
internal import Synchronization

/// One line of input for `intentctl stream`, numbered from 1.
enum InputLine: Sendable, Equatable {
    case text(line: Int, String)
    /// A line that could not be read as text (not UTF-8, or too long); it is skipped.
    case unreadable(line: Int, reason: String)
    /// Reading stopped (an I/O error); nothing follows.
    case failed(reason: String)
}

/// Lines to send, with the hooks the reader needs: `consumed` after each line is handled (the
/// reader stays at most a small window ahead, so a huge file is not read into memory), `stop`
/// when the session ends early.
struct InputLines: Sendable {
    let lines: AsyncStream<InputLine>
    let consumed: @Sendable () -> Void
    let stop: @Sendable () -> Void

    /// Fixed lines (tests, and anything already in memory).
    static func fixed(_ lines: [InputLine]) -> InputLines {
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        for line in lines { continuation.yield(line) }
        continuation.finish()
        return InputLines(lines: stream, consumed: {}, stop: {})
    }
}

/// Reads a file, or stdin, line by line on its own thread (a blocking read must not hold one of
/// the few threads Swift's concurrency pool has), handing the lines over as ``InputLines``.
final class LineSource: Sendable {
    /// Lines longer than this are reported and skipped (a message text is at most 16 KiB).
    static let maxLineBytes = 1 << 20
    /// How many lines the reader may be ahead of the sender.
    static let window = 64

    private let handle: FileHandle
    /// Room in the window. It starts at 0 and gets `window` signals in `init`: libdispatch traps
    /// when a semaphore is freed below its initial value, which one made with `value: window`
    /// would be whenever lines were read but not yet consumed.
    private let permits = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let continuation: AsyncStream<InputLine>.Continuation
    private let stream: AsyncStream<InputLine>

    /// Opens `path` ("-" for stdin); throws a message naming the file when it cannot be opened.
    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let file = FileHandle(forReadingAtPath: path) else {
                throw CLIError("cannot open \(path) for reading: no such file, or no permission")
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw CLIError("\(path) is a directory, not a JSONL file")
            }
            handle = file
        }
        (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        for _ in 0..<Self.window { permits.signal() }
    }

    /// Starts the reader thread; the lines come in order, then the stream finishes.
    func start() -> InputLines {
        let thread = Thread { [self] in readAll() }
        thread.name = "intentctl-input"
        thread.start()
        return InputLines(lines: stream, consumed: { [self] in permits.signal() }, stop: { [self] in stop() })
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        permits.signal()
        continuation.finish()
    }

    /// Reads with read(2) directly: it returns whatever a pipe has now, so each line typed or
    /// piped in is sent at once (Foundation's `read(upToCount:)` waits to fill its whole buffer).
    private func readAll() {
        var splitter = LineSplitter(maxLineBytes: Self.maxLineBytes)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        defer { continuation.finish() }
        while !stopped.load(ordering: .acquiring) {
            let result: IOResult
            do {
                result = try Socket.read(handle.fileDescriptor, into: &buffer, range: 0..<buffer.count)
            } catch {
                _ = deliver(.failed(reason: "reading the input failed: \(error)"))
                return
            }
            switch result {
            case .bytes(let count):
                for line in splitter.append(Array(buffer[..<count])) where !deliver(line) { return }
            case .closed:
                for line in splitter.finish() where !deliver(line) { return }
                return
            case .wouldBlock:
                // A non-blocking stdin inherited from the shell: wait a little for more.
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// Waits for room in the window, then hands over one line; false once stopped.
    private func deliver(_ line: InputLine) -> Bool {
        permits.wait()
        guard !stopped.load(ordering: .acquiring) else { return false }
        continuation.yield(line)
        return true
    }
}

/// Splits bytes into numbered lines (LF or CRLF), checks UTF-8, drops a leading byte-order
/// mark, and reports lines over the length limit instead of buffering them. Pure.
struct LineSplitter {
    let maxLineBytes: Int
    private var pending: [UInt8] = []
    private var lineNumber = 0
    private var overlong = false

    init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

    mutating func append(_ bytes: [UInt8]) -> [InputLine] {
        var lines: [InputLine] = []
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            if !overlong { pending += bytes[start..<newline] }
            lines.append(completeLine())
            start = newline + 1
        }
        if !overlong { pending += bytes[start...] }
        if pending.count > maxLineBytes {
            overlong = true
            pending = []
        }
        return lines
    }

    /// The last line, when the input did not end with a newline.
    mutating func finish() -> [InputLine] {
        guard !pending.isEmpty || overlong else { return [] }
        return [completeLine()]
    }

    private mutating func completeLine() -> InputLine {
        lineNumber += 1
        defer {
            pending = []
            overlong = false
        }
        if overlong || pending.count > maxLineBytes {
            return .unreadable(line: lineNumber, reason: "the line is longer than \(maxLineBytes) bytes")
        }
        var bytes = pending[...]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .unreadable(line: lineNumber, reason: "the line is not valid UTF-8")
        }
        return .text(line: lineNumber, text)
    }
}
