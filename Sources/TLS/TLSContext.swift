internal import COpenSSL
internal import Crypto

/// Certificates, keys, trust and protocol settings for many TLS connections (an `SSL_CTX`).
///
/// Immutable after creation, so loops on different threads share one context (OpenSSL allows
/// concurrent `SSL_new` from a configured `SSL_CTX`); hence `@unchecked Sendable`.
///
/// Both roles use TLS 1.2 or newer and negotiate ALPN `h2`:
/// - a server selects `h2`, and refuses the handshake (`no_application_protocol` alert) when a
///   client offers ALPN without `h2`; a client offering no ALPN at all is accepted (HTTP/2 by
///   prior knowledge);
/// - a client offers `h2` and verifies the server's certificate chain and name.
public final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    /// Whether this context is for servers (accept) or clients (connect).
    public let isServer: Bool

    private init(context: OpaquePointer, isServer: Bool) {
        self.context = context
        self.isServer = isServer
    }

    deinit { SSL_CTX_free(context) }

    /// A server context from PEM files: `certificateFile` holds the certificate chain (leaf first),
    /// `privateKeyFile` its key. With `clientCAFile`, client certificates signed by those CAs are
    /// verified (and, with `requireClientCertificate`, demanded: mutual TLS).
    ///
    /// - Throws: ``TLSError`` naming the file that could not be loaded, or a key that does not
    ///   match the certificate.
    public static func server(
        certificateFile: String, privateKeyFile: String, clientCAFile: String? = nil,
        requireClientCertificate: Bool = false
    ) throws(TLSError) -> TLSContext {
        let context = try makeContext(server: true)
        let result = TLSContext(context: context, isServer: true)  // frees the SSL_CTX on error paths
        _ = COpenSSL_SSL_CTX_set_options(context, COpenSSL_serverOptions())
        try load(certificateFile: certificateFile, privateKeyFile: privateKeyFile, into: context)
        SSL_CTX_set_alpn_select_cb(context, selectHTTP2, nil)
        if let clientCAFile {
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_load_verify_locations(context, clientCAFile, nil) == 1 else {
                throw OpenSSLErrorQueue.error("load client CA file \(clientCAFile)")
            }
            if let names = SSL_load_client_CA_file(clientCAFile) { SSL_CTX_set_client_CA_list(context, names) }
            let mode = SSL_VERIFY_PEER | (requireClientCertificate ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0)
            SSL_CTX_set_verify(context, mode, nil)
        } else {
            precondition(!requireClientCertificate, "requireClientCertificate needs a clientCAFile to verify against")
        }
        return result
    }

    /// A client context: trusts `caFile` (PEM) or, when nil, the system's CA store; offers
    /// ALPN `alpnProtocols` (`h2`; empty offers no ALPN); presents `certificateFile` /
    /// `privateKeyFile` when given (mutual TLS).
    public static func client(
        caFile: String?, certificateFile: String? = nil, privateKeyFile: String? = nil,
        alpnProtocols: [String] = ["h2"]
    ) throws(TLSError) -> TLSContext {
        let context = try makeContext(server: false)
        let result = TLSContext(context: context, isServer: false)
        _ = COpenSSL_SSL_CTX_set_options(context, COpenSSL_clientOptions())
        OpenSSLErrorQueue.clear()
        if let caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw OpenSSLErrorQueue.error("load CA file \(caFile)")
            }
        } else if SSL_CTX_set_default_verify_paths(context) != 1 {
            throw OpenSSLErrorQueue.error("load the system CA store")
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if !alpnProtocols.isEmpty {
            var alpn: [UInt8] = []
            for name in alpnProtocols {
                guard !name.isEmpty, name.utf8.count < 256 else {
                    throw TLSError(operation: "set ALPN protocols", reason: "invalid protocol name '\(name)'")
                }
                alpn.append(UInt8(name.utf8.count))
                alpn.append(contentsOf: name.utf8)
            }
            // Unusually, 0 means success here.
            guard SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) == 0 else {
                throw OpenSSLErrorQueue.error("set ALPN protocols")
            }
        }
        switch (certificateFile, privateKeyFile) {
        case (let certificate?, let key?):
            try load(certificateFile: certificate, privateKeyFile: key, into: context)
        case (nil, nil):
            break
        default:
            throw TLSError(operation: "configure client certificate", reason: "certificateFile and privateKeyFile go together")
        }
        return result
    }

    private static func makeContext(server: Bool) throws(TLSError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()) else {
            throw OpenSSLErrorQueue.error("create context")
        }
        guard COpenSSL_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            SSL_CTX_free(context)
            throw OpenSSLErrorQueue.error("require TLS 1.2")
        }
        return context
    }

    private static func load(certificateFile: String, privateKeyFile: String, into context: OpaquePointer) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate_chain_file(context, certificateFile) == 1 else {
            throw OpenSSLErrorQueue.error("load certificate chain from \(certificateFile)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw OpenSSLErrorQueue.error("load private key from \(privateKeyFile)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw OpenSSLErrorQueue.error("check private key \(privateKeyFile) against \(certificateFile)")
        }
    }
}

/// The server's ALPN choice (OpenSSL calls it during the handshake): "h2" when the client offers
/// it; otherwise a fatal `no_application_protocol` alert, because gRPC needs HTTP/2.
/// `input` is the client's list of length-prefixed protocol names; `output` must point into it.
private let selectHTTP2: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { _, output, outputLength, input, inputLength, _ in
    guard let output, let outputLength, let input else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    var offset = 0
    let count = Int(inputLength)
    while offset < count {
        let length = Int(input[offset])
        let start = offset + 1
        guard start + length <= count else { break }  // malformed list
        if length == 2 && input[start] == UInt8(ascii: "h") && input[start + 1] == UInt8(ascii: "2") {
            output.pointee = input + start
            outputLength.pointee = 2
            return SSL_TLSEXT_ERR_OK
        }
        offset = start + length
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL
}
