internal import COpenSSL
internal import Crypto

/// One TLS endpoint over memory BIOs: ciphertext in and out as bytes, no socket.
///
/// The driver (a connection on an event loop) feeds what it read from the socket to
/// ``receiveCiphertext(_:)``, calls ``readPlaintext(into:)`` (which also advances the handshake),
/// queues application bytes with ``writePlaintext(_:)``, and sends whatever
/// ``takeCiphertext(into:)`` returns. Plaintext written before the handshake completes is held
/// and encrypted as soon as it does.
///
/// Owned by one loop thread (not `Sendable`).
///
/// `SSL_get_error` outcomes are mapped in one place, ``outcome(of:_:)``: `NONE` → done;
/// `WANT_READ` → needs more ciphertext; `WANT_WRITE` → done for now (memory BIOs never fill);
/// `ZERO_RETURN` → the peer sent close_notify; `SSL`/`SYSCALL` → ``TLSError`` with the error
/// queue and, for certificate failures, the verification result.
public final class TLSConnection {
    private let ssl: OpaquePointer
    /// Ciphertext from the peer; owned by `ssl`.
    private let inbound: OpaquePointer
    /// Ciphertext for the peer; owned by `ssl`.
    private let outbound: OpaquePointer
    private var heldPlaintext: [UInt8] = []
    private var failure: TLSError?
    private var peerClosed = false
    private var handshakeDone = false
    /// The verified client/server certificate subject, computed once after the handshake.
    public private(set) var peerCertificateSubject: String?
    /// The ALPN protocol agreed on ("h2"), or nil when the peer did not use ALPN.
    public private(set) var negotiatedProtocol: String?

    /// Makes the endpoint for one connection. `serverName` (clients only) is sent as SNI (unless
    /// it is an IP address) and is the name or IP the server's certificate must match.
    public init(context: TLSContext, serverName: String? = nil) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.context) else { throw OpenSSLErrorQueue.error("create connection") }
        guard let inbound = BIO_new(BIO_s_mem()), let outbound = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw OpenSSLErrorQueue.error("create memory BIOs")
        }
        SSL_set_bio(ssl, inbound, outbound)
        self.ssl = ssl
        self.inbound = inbound
        self.outbound = outbound
        if context.isServer {
            SSL_set_accept_state(ssl)
        } else {
            SSL_set_connect_state(ssl)
            if let serverName, !serverName.isEmpty {
                if Self.isIPAddress(serverName) {
                    guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1 else {
                        throw OpenSSLErrorQueue.error("set expected server IP \(serverName)")
                    }
                } else {
                    guard COpenSSL_SSL_set_tlsext_host_name(ssl, serverName) == 1,
                        SSL_set1_host(ssl, serverName) == 1
                    else {
                        throw OpenSSLErrorQueue.error("set server name \(serverName)")
                    }
                }
            }
        }
    }

    deinit { SSL_free(ssl) }

    /// Whether the handshake finished (application data can flow).
    public var isHandshakeComplete: Bool { handshakeDone }

    /// Clients: produces the ClientHello (take it with ``takeCiphertext(into:)``). Servers: no-op
    /// until the ClientHello arrives.
    public func startHandshake() throws(TLSError) {
        try advanceHandshake()
    }

    /// Bytes read from the socket.
    public func receiveCiphertext(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            // A memory BIO grows as needed: it takes everything.
            _ = BIO_write(inbound, raw.baseAddress, Int32(raw.count))
        }
    }

    /// Advances the handshake and appends any decrypted application bytes to `buffer`.
    ///
    /// - Returns: false once the peer has sent close_notify (no more data will come).
    /// - Throws: ``TLSError`` on a failed handshake (bad certificate, no common protocol, no
    ///   `h2`) or a corrupt record; the connection is then unusable (send what
    ///   ``takeCiphertext(into:)`` has — it may hold an alert — and close).
    public func readPlaintext(into buffer: inout [UInt8]) throws(TLSError) -> Bool {
        if let failure { throw failure }
        if peerClosed { return false }
        if !handshakeDone {
            try advanceHandshake()
            if !handshakeDone { return true }
        }
        while true {
            // Enough room for what is buffered, one record at most per SSL_read.
            let room = max(1024, min(16 * 1024 + 256, COpenSSL_BIO_pending(inbound) + Int(SSL_pending(ssl))))
            let start = buffer.count
            buffer += [UInt8](repeating: 0, count: room)  // memset+memcpy, fast in debug builds too
            var read = 0
            OpenSSLErrorQueue.clear()
            let result = buffer.withUnsafeMutableBytes { raw in
                SSL_read_ex(ssl, raw.baseAddress! + start, room, &read)
            }
            buffer.removeSubrange((start + read)...)
            switch try outcome(of: result, "read") {
            case .done: continue
            case .wantMore: return true
            case .closed:
                peerClosed = true
                return false
            }
        }
    }

    /// Queues application bytes for encryption (held until the handshake completes).
    public func writePlaintext(_ bytes: ArraySlice<UInt8>) throws(TLSError) {
        if let failure { throw failure }
        guard !bytes.isEmpty else { return }
        if !handshakeDone {
            heldPlaintext.append(contentsOf: bytes)
            return
        }
        try encrypt(bytes)
    }

    /// Appends every ciphertext byte ready to send.
    public func takeCiphertext(into buffer: inout [UInt8]) {
        let pending = COpenSSL_BIO_pending(outbound)
        guard pending > 0 else { return }
        let start = buffer.count
        buffer += [UInt8](repeating: 0, count: pending)
        let read = buffer.withUnsafeMutableBytes { raw in
            BIO_read(outbound, raw.baseAddress! + start, Int32(pending))
        }
        buffer.removeSubrange((start + Int(max(read, 0)))...)
    }

    /// Whether ciphertext is waiting in ``takeCiphertext(into:)``.
    public var hasCiphertext: Bool { COpenSSL_BIO_pending(outbound) > 0 }

    /// Queues close_notify (take it with ``takeCiphertext(into:)``, then close the socket).
    public func shutdown() {
        guard handshakeDone, failure == nil else { return }
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    // MARK: Internals

    private enum Outcome { case done, wantMore, closed }

    private func advanceHandshake() throws(TLSError) {
        if let failure { throw failure }
        guard !handshakeDone else { return }
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        switch try outcome(of: result, "handshake") {
        case .wantMore:
            return
        case .closed:
            let error = TLSError(operation: "handshake", reason: "the peer closed the connection during the handshake")
            failure = error
            throw error
        case .done:
            handshakeDone = true
            negotiatedProtocol = Self.selectedProtocol(ssl)
            peerCertificateSubject = Self.verifiedPeerSubject(ssl)
            if !heldPlaintext.isEmpty {
                let held = heldPlaintext
                heldPlaintext = []
                try encrypt(held[...])
            }
        }
    }

    private func encrypt(_ bytes: ArraySlice<UInt8>) throws(TLSError) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            var written = 0
            OpenSSLErrorQueue.clear()
            let result = bytes[offset...].withUnsafeBytes { raw in
                SSL_write_ex(ssl, raw.baseAddress, raw.count, &written)
            }
            switch try outcome(of: result, "write") {
            case .done: offset += written
            case .wantMore, .closed:
                // Cannot happen with memory BIOs once the handshake is done; keep the rest.
                heldPlaintext.append(contentsOf: bytes[offset...])
                return
            }
        }
    }

    /// The one mapping of `SSL_get_error`.
    private func outcome(of result: Int32, _ operation: String) throws(TLSError) -> Outcome {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_NONE:
            return .done
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .wantMore
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            var reason = OpenSSLErrorQueue.drain()
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK, let text = X509_verify_cert_error_string(verify) {
                reason += " (\(String(cString: text)))"
            }
            if reason.isEmpty { reason = "unexpected end of the TLS stream" }
            let error = TLSError(operation: operation, reason: reason)
            failure = error
            throw error
        }
    }

    private static func selectedProtocol(_ ssl: OpaquePointer) -> String? {
        var data: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The peer certificate's subject (RFC 2253, such as `CN=client,O=ReplyIntent Test`), only
    /// when the chain was verified.
    private static func verifiedPeerSubject(_ ssl: OpaquePointer) -> String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard SSL_get_verify_result(ssl) == X509_V_OK, let name = X509_get_subject_name(certificate),
            let bio = BIO_new(BIO_s_mem())
        else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, COpenSSL_XN_FLAG_RFC2253()) >= 0 else { return nil }
        let count = COpenSSL_BIO_pending(bio)
        var bytes = [UInt8](repeating: 0, count: count)
        let read = BIO_read(bio, &bytes, Int32(count))
        return String(decoding: bytes.prefix(Int(max(read, 0))), as: UTF8.self)
    }

    private static func isIPAddress(_ name: String) -> Bool {
        name.contains(":") || (!name.isEmpty && name.allSatisfy { $0.isNumber || $0 == "." } && name.contains("."))
    }
}
