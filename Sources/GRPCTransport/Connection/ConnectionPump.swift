internal import HTTP2
internal import Posix
internal import TLS

/// The byte pump of one HTTP/2 connection, server or client:
/// socket ⇄ [TLSConnection] ⇄ HTTP2Session, on one event loop.
///
/// Owns the socket fd (its registration, write interest and close), the optional TLS connection,
/// the plaintext buffers, and the write queue (`output` from `outputOffset`). Bytes read are fed
/// through TLS to the session; the session's frames are pulled through TLS into the write queue,
/// at most `outputHighWater` bytes ahead of the socket, once per loop iteration
/// (``scheduleFlush()``) or when asked (``flush()``); a socket that would block gets EPOLLOUT
/// interest until the queue is written. What the session reports (``HTTP2Event``) goes to the
/// owner, and so does every reason to stop (``ConnectionPumpFailure``): the owner decides what
/// it means and closes with ``close()``. Not thread-safe: every method runs on the loop thread.
final class ConnectionPump<Owner: ConnectionPumpOwner>: EventHandler, IterationEndHandler {
    let fd: Int32
    let loop: EventLoop
    let session: HTTP2Session
    let tls: TLSConnection?
    /// Strong until ``close()``: a registered socket keeps its connection alive, as the loop's
    /// registration of the connection itself would.
    private var owner: Owner?
    private let readBuffer: ConnectionReadBuffer
    /// Bytes of unsent output above which the session is not asked for more frames.
    private let outputHighWater: Int

    private(set) var isClosed = false
    /// A client socket whose non-blocking connect has not finished: nothing is read or written.
    private(set) var isConnecting: Bool
    /// Plaintext bytes given to the session so far.
    private(set) var receivedBytes = 0
    /// When the last bytes arrived from the socket (``monotonicNanoseconds()``).
    private(set) var lastInputAt: UInt64
    /// False once the owner stops taking input (a connection being cut): bytes read are dropped.
    private var acceptsInput = true
    private var establishedReported = false

    private var events: [HTTP2Event] = []
    private var plainIn: [UInt8] = []
    private var plainOut: [UInt8] = []
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var writeInterest: Bool
    private var flushScheduled = false
    private var pendingResets: [(stream: Int32, errorCode: UInt32)] = []

    /// `connecting`: a client socket whose connect is in progress (writability will say it finished).
    init(fd: Int32, loop: EventLoop, session: HTTP2Session, tls: TLSConnection?, readBuffer: ConnectionReadBuffer,
         outputHighWater: Int, connecting: Bool = false, owner: Owner) {
        self.fd = fd
        self.loop = loop
        self.session = session
        self.tls = tls
        self.readBuffer = readBuffer
        self.outputHighWater = outputHighWater
        self.isConnecting = connecting
        self.writeInterest = connecting
        self.owner = owner
        self.lastInputAt = monotonicNanoseconds()
    }

    /// Starts watching the socket: readable, and writable while a connect is in progress. When
    /// it throws, the pump is unusable and lets go of its owner; the caller closes the fd.
    func register() throws(SystemCallError) {
        do { try loop.register(fd: fd, handler: self, readable: true, writable: writeInterest) } catch {
            owner = nil
            throw error
        }
    }

    /// Whether every queued byte reached the socket.
    var isOutputWritten: Bool { outputOffset == output.count }

    /// Drops every later input byte (the owner is cutting the connection).
    func stopInput() { acceptsInput = false }

    // MARK: EventHandler

    func onReadable() {
        if isConnecting { return finishConnect() }
        guard !isClosed else { return }
        for _ in 0..<8 {  // then the loop serves other sockets (level-triggered: it comes back)
            let result: IOResult
            do throws(SystemCallError) {
                result = try Socket.read(fd, into: &readBuffer.bytes, range: 0..<readBuffer.bytes.count)
            } catch { return fail(.readFailed(error)) }
            switch result {
            case .bytes(let count):
                lastInputAt = monotonicNanoseconds()
                guard process(readBuffer.bytes[0..<count]) else { return }
                if count < readBuffer.bytes.count { return scheduleFlush() }
            case .wouldBlock: return scheduleFlush()
            case .closed: return fail(.peerClosed)
            }
        }
        scheduleFlush()
    }

    func onWritable() {
        if isConnecting { finishConnect() } else { flush() }
    }

    private func finishConnect() {
        if let error = Socket.connectError(fd) { return fail(.connectFailed(error)) }
        isConnecting = false
        Socket.setNoDelay(fd)
        if let tls {
            do throws(TLSError) { try tls.startHandshake() } catch { return fail(.tlsFailed(error)) }
        } else {
            owner?.pumpEstablished()
        }
        flush()
    }

    // MARK: Input

    /// Feeds bytes read from the socket through TLS and nghttp2; false once the pump stopped.
    private func process(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let tls else { return receive(bytes) }
        tls.receiveCiphertext(bytes)
        plainIn.removeAll(keepingCapacity: true)
        let open: Bool
        do throws(TLSError) {
            open = try tls.readPlaintext(into: &plainIn)
        } catch {
            // Send the alert OpenSSL queued (no ALPN h2, bad certificate), then stop.
            tls.takeCiphertext(into: &output)
            writeOutput()
            fail(.tlsFailed(error))
            return false
        }
        if !establishedReported && tls.isHandshakeComplete {
            establishedReported = true
            owner?.pumpEstablished()
            if isClosed { return false }
        }
        if !plainIn.isEmpty && !receive(plainIn[...]) { return false }
        if !open { fail(.closeNotify) }
        return !isClosed
    }

    private func receive(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard acceptsInput, !isClosed else { return false }
        receivedBytes += bytes.count
        do throws(HTTP2Error) {
            try session.receive(bytes, events: &events)
        } catch {
            let owner = self.owner  // the flush may close the pump: the owner still hears why
            deliverEvents()
            flush()
            owner?.pumpFailed(.protocolError(error))
            return false
        }
        // The owner hears of every receive, even one without events (it may count receivedBytes).
        if events.isEmpty { owner?.pumpHandle(events) } else { deliverEvents() }
        return !isClosed
    }

    /// Hands the collected events to the owner; the array is reused (no allocation per batch),
    /// and events the owner causes meanwhile (a nested flush) collect in a fresh one.
    private func deliverEvents() {
        guard !events.isEmpty else { return }
        var batch: [HTTP2Event] = []
        swap(&batch, &events)
        owner?.pumpHandle(batch)
        batch.removeAll(keepingCapacity: true)
        if events.isEmpty { events = batch }
    }

    // MARK: Output

    /// Asks for a flush at the end of this loop iteration.
    func scheduleFlush() {
        guard !flushScheduled, !isClosed else { return }
        flushScheduled = true
        loop.afterIteration(notify: self)
    }

    func onIterationEnd() {
        flushScheduled = false
        if !isClosed { flush() }
    }

    /// Resets a stream once the frames queued before it (its trailers) have left the session.
    func resetAfterFlush(_ stream: Int32, errorCode: UInt32) {
        pendingResets.append((stream, errorCode))
        scheduleFlush()
    }

    /// Moves the session's frames through TLS to the socket, as far as the socket takes them,
    /// then tells the owner (``ConnectionPumpOwner/pumpFlushed()``).
    func flush() {
        guard !isClosed else { return }
        for _ in 0..<4 {
            guard pullFromSession() else { return }
            if pendingResets.isEmpty { break }
            let resets = pendingResets
            pendingResets.removeAll()
            for (stream, code) in resets {
                session.resetAfterQueuedFrames(stream, errorCode: code)
            }
        }
        if !isConnecting { writeOutput() }
        if isClosed { return }
        owner?.pumpFlushed()
    }

    /// Fills the write queue up to `outputHighWater`; false once the pump stopped.
    private func pullFromSession() -> Bool {
        while output.count - outputOffset < outputHighWater {
            let before = output.count
            do throws(HTTP2Error) {
                if let tls {
                    plainOut.removeAll(keepingCapacity: true)
                    try session.drainOutput(into: &plainOut, events: &events)
                    do throws(TLSError) { try tls.writePlaintext(plainOut[...]) } catch {
                        fail(.tlsFailed(error))
                        return false
                    }
                    tls.takeCiphertext(into: &output)
                } else {
                    try session.drainOutput(into: &output, events: &events)
                }
            } catch {
                fail(.sessionFailed(error))
                return false
            }
            let hadEvents = !events.isEmpty
            deliverEvents()
            if isClosed { return false }
            if output.count == before && !hadEvents { return true }
            if output.count == before && !session.wantsWrite { return true }
        }
        return true
    }

    private func writeOutput() {
        while outputOffset < output.count {
            let result: IOResult
            do throws(SystemCallError) { result = try Socket.write(fd, output[outputOffset...]) } catch {
                return fail(.writeFailed(error))
            }
            switch result {
            case .bytes(let count): outputOffset += count
            case .wouldBlock: return setWriteInterest(true)
            case .closed: return fail(.peerClosed)
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 4 * outputHighWater)
        outputOffset = 0
        setWriteInterest(false)
        if session.wantsWrite && !flushScheduled {
            // More frames became sendable (the high-water mark stopped us): go again next iteration.
            scheduleFlush()
        }
    }

    private func setWriteInterest(_ wanted: Bool) {
        guard wanted != writeInterest, !isClosed else { return }
        writeInterest = wanted
        try? loop.modify(fd: fd, readable: true, writable: wanted)
    }

    // MARK: Closing

    /// Queues TLS close_notify and writes what the socket takes now (no wait).
    func sendCloseNotify() {
        guard let tls, !isClosed else { return }
        tls.shutdown()
        tls.takeCiphertext(into: &output)
        writeOutput()
    }

    /// Reads and drops what the peer already sent, so that closing sends FIN, not RST (a RST
    /// can make the peer's kernel drop the GOAWAY it has not read yet).
    func discardPendingInput() {
        guard !isClosed else { return }
        for _ in 0..<16 {
            guard case .bytes? = try? Socket.read(fd, into: &readBuffer.bytes, range: 0..<readBuffer.bytes.count) else {
                return
            }
        }
    }

    /// Stops watching the socket and closes it; releases the owner. Idempotent.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.deregister(fd: fd)
        Socket.close(fd)
        owner = nil
    }

    private func fail(_ failure: ConnectionPumpFailure) {
        owner?.pumpFailed(failure)
    }
}
