internal import Glibc
internal import CPosix

/// What a non-blocking read or write did.
public enum IOResult: Sendable, Hashable {
    /// This many bytes were transferred (always > 0).
    case bytes(Int)
    /// Nothing now (`EAGAIN`): wait for the next readiness event.
    case wouldBlock
    /// Read: the peer closed its side (EOF).
    case closed
}

/// TCP sockets over file descriptors. Every descriptor made here is non-blocking and close-on-exec.
///
/// Errors: each function throws ``SystemCallError`` naming the call; `EINTR` is retried and
/// `EAGAIN` becomes ``IOResult/wouldBlock`` (or nil) — see `SystemCall`.
public enum Socket {
    /// A listening socket on `host:port` (`port` 0 picks a free one; read it with ``boundPort(_:)``).
    ///
    /// `SO_REUSEADDR` is always set; `SO_REUSEPORT` when `reusePort` (one listener per loop).
    /// `host`: `"0.0.0.0"` (all IPv4), `"::"` (all IPv6 and, dual-stack, IPv4), `"localhost"`
    /// (127.0.0.1 first), a literal, or a name. Each resolved address is tried in turn.
    public static func listenTCP(host: String, port: Int, reusePort: Bool = false, backlog: Int32 = 1024) throws(SystemCallError) -> Int32 {
        let addresses = try SocketAddress.resolve(host: host, port: port, passive: true)
        var lastError = SystemCallError(call: "listen(\(host):\(port))", errno: EADDRNOTAVAIL)
        for address in addresses {
            do {
                return try listen(address, reusePort: reusePort, backlog: backlog, label: "\(host):\(port)")
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func listen(
        _ address: SocketAddress.Resolved, reusePort: Bool, backlog: Int32, label: String
    ) throws(SystemCallError) -> Int32 {
        let fd = try makeSocket(family: address.family)
        do {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)")
            if reusePort { try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "setsockopt(SO_REUSEPORT)") }
            if address.family == AF_INET6 {
                // "::" also accepts IPv4 (mapped addresses), like most servers.
                try setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0, "setsockopt(IPV6_V6ONLY)")
            }
            var storage = address.storage
            _ = try SystemCall.retrying("bind(\(label))") {
                withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, address.length) }
                }
            }
            _ = try SystemCall.retrying("listen(\(label))") { Glibc.listen(fd, backlog) }
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// The local port a socket is bound to.
    public static func boundPort(_ fd: Int32) throws(SystemCallError) -> Int {
        let storage = try localStorage(fd)
        guard let port = SocketAddress.port(storage) else { throw SystemCallError(call: "getsockname", errno: EAFNOSUPPORT) }
        return port
    }

    /// Accepts one connection (`accept4`: non-blocking, close-on-exec); nil when none is waiting.
    ///
    /// `ECONNABORTED`/`EPROTO` (a client gave up in the queue) are skipped. `EMFILE`/`ENFILE` are
    /// thrown: the caller should pause accepting for a moment, or the listener stays readable.
    public static func accept(_ listenFD: Int32) throws(SystemCallError) -> (fd: Int32, peer: String)? {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd: Int32?
            do throws(SystemCallError) {
                fd = try SystemCall.retryingNonBlocking("accept4") {
                    withUnsafeMutablePointer(to: &storage) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { CPosix_accept4(listenFD, $0, &length) }
                    }
                }
            } catch {
                if error.errno == ECONNABORTED || error.errno == EPROTO { continue }
                throw error
            }
            guard let fd else { return nil }
            return (fd, SocketAddress.format(storage))
        }
    }

    /// Starts connecting to `host:port` without blocking. The returned socket becomes writable
    /// when the connection is made or failed: then check ``connectError(_:)``.
    /// Addresses that fail at once (such as `EADDRNOTAVAIL`) fall through to the next one.
    public static func connectTCP(host: String, port: Int) throws(SystemCallError) -> Int32 {
        let addresses = try SocketAddress.resolve(host: host, port: port, passive: false)
        var lastError = SystemCallError(call: "connect(\(host):\(port))", errno: EADDRNOTAVAIL)
        for address in addresses {
            let fd = try makeSocket(family: address.family)
            var storage = address.storage
            while true {
                let result = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
                }
                let code = result == 0 ? 0 : Glibc.errno
                if code == EINTR { continue }  // the connect goes on in the background
                if code == 0 || code == EINPROGRESS || code == EAGAIN { return fd }
                lastError = SystemCallError(call: "connect(\(host):\(port))", errno: code)
                Glibc.close(fd)
                break
            }
        }
        throw lastError
    }

    /// After a connecting socket turned writable: nil if connected, else why it failed
    /// (`SO_ERROR`, such as "Connection refused").
    public static func connectError(_ fd: Int32) -> SystemCallError? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) != 0 {
            return SystemCallError(call: "getsockopt(SO_ERROR)", errno: Glibc.errno)
        }
        return value == 0 ? nil : SystemCallError(call: "connect", errno: value)
    }

    /// Reads at most `max` bytes, appending them to `buffer`.
    public static func read(_ fd: Int32, into buffer: inout [UInt8], max: Int) throws(SystemCallError) -> IOResult {
        let start = buffer.count
        buffer += [UInt8](repeating: 0, count: max)
        let result: IOResult
        do {
            result = try read(fd, into: &buffer, range: start..<(start + max))
        } catch {
            buffer.removeSubrange(start...)
            throw error
        }
        if case .bytes(let count) = result {
            buffer.removeSubrange((start + count)...)
        } else {
            buffer.removeSubrange(start...)
        }
        return result
    }

    /// The fast path: reads into `buffer[range]` (existing bytes, overwritten), with no
    /// allocation or zero-filling. Keep one buffer per loop and use `buffer[..<count]`.
    public static func read(_ fd: Int32, into buffer: inout [UInt8], range: Range<Int>) throws(SystemCallError) -> IOResult {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count, "read range outside the buffer")
        let count = try SystemCall.retryingNonBlocking("read") {
            buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + range.lowerBound, range.count)
            }
        }
        guard let count else { return .wouldBlock }
        return count == 0 ? .closed : .bytes(count)
    }

    /// Writes as much of `bytes` as the socket takes now (`MSG_NOSIGNAL`: a closed peer is an
    /// `EPIPE` error, never a SIGPIPE).
    public static func write(_ fd: Int32, _ bytes: ArraySlice<UInt8>) throws(SystemCallError) -> IOResult {
        if bytes.isEmpty { return .bytes(0) }
        let count = try SystemCall.retryingNonBlocking("send") {
            bytes.withUnsafeBytes { raw in Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) }
        }
        guard let count else { return .wouldBlock }
        return .bytes(count)
    }

    /// Writes several buffers in one `writev` call (up to 16 at a time); returns the total written.
    public static func write(_ fd: Int32, _ chunks: [ArraySlice<UInt8>]) throws(SystemCallError) -> IOResult {
        let chunks = chunks.prefix(16).filter { !$0.isEmpty }
        if chunks.isEmpty { return .bytes(0) }
        if chunks.count == 1 { return try write(fd, chunks[chunks.startIndex]) }
        var vectors = [iovec](repeating: iovec(), count: chunks.count)
        let (result, code) = withPinned(Array(chunks), index: 0, vectors: &vectors) { vectors -> (Int, Int32) in
            while true {
                let result = vectors.withUnsafeBufferPointer { Glibc.writev(fd, $0.baseAddress, Int32($0.count)) }
                if result >= 0 { return (result, 0) }
                if Glibc.errno != EINTR { return (result, Glibc.errno) }
            }
        }
        if result >= 0 { return .bytes(result) }
        if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
        throw SystemCallError(call: "writev", errno: code)
    }

    /// Pins each chunk's storage in turn (nested closures) and fills `vectors`, then calls `body`.
    private static func withPinned<R>(
        _ chunks: [ArraySlice<UInt8>], index: Int, vectors: inout [iovec], _ body: (inout [iovec]) -> R
    ) -> R {
        if index == chunks.count { return body(&vectors) }
        return chunks[index].withUnsafeBytes { raw -> R in
            vectors[index] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count)
            return withPinned(chunks, index: index + 1, vectors: &vectors, body)
        }
    }

    /// Disables Nagle's algorithm (gRPC sends small frames that must not wait).
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Half-closes the write side (sends FIN after queued data).
    public static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes a descriptor. `EINTR` is not retried (on Linux the descriptor is already gone).
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// The peer's address (`127.0.0.1:53412`, `[::1]:53412`), or `"unknown"`.
    public static func peerAddress(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        return result == 0 ? SocketAddress.format(storage) : "unknown"
    }

    /// The local address (`127.0.0.1:50051`), or `"unknown"`.
    public static func localAddress(_ fd: Int32) -> String {
        (try? localStorage(fd)).map(SocketAddress.format) ?? "unknown"
    }

    private static func localStorage(_ fd: Int32) throws(SystemCallError) -> sockaddr_storage {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try SystemCall.retrying("getsockname") {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
        }
        return storage
    }

    private static func makeSocket(family: Int32) throws(SystemCallError) -> Int32 {
        try SystemCall.retrying("socket") {
            Glibc.socket(family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), Int32(IPPROTO_TCP))
        }
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ call: String) throws(SystemCallError) {
        var value = value
        _ = try SystemCall.retrying(call) { setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) }
    }
}
