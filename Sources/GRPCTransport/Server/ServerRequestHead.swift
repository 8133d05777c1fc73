internal import HTTP2
internal import RPC

/// A request's HEADERS checked against grpc/grpc doc/PROTOCOL-HTTP2.md (server side).
///
/// Checks, in order, and what a bad request gets (always one Trailers-Only response):
/// - `:method` not POST → HTTP 405 (the spec's answer), grpc-status INTERNAL;
/// - `content-type` not `application/grpc` or `application/grpc+…` → HTTP 415, grpc-status INTERNAL;
/// - `te` not `trailers` → HTTP 400, grpc-status INTERNAL. The C-core server (C++, Python) rejects
///   such a request as malformed ("Missing :te header", RST_STREAM); we answer in a way every
///   client can show: 400 maps to INTERNAL in grpc's HTTP-to-gRPC status table;
/// - `:path` not `/Service/Method` → 200, UNIMPLEMENTED (from the router);
/// - malformed `grpc-timeout` → 200, INTERNAL ("malformed grpc-timeout");
/// - `grpc-encoding` we do not implement → 200, UNIMPLEMENTED, with `grpc-accept-encoding`;
/// - a `-bin` metadata value that is not base64 → 200, INTERNAL.
struct ServerRequestHead {
    var path: String
    var metadata: Metadata
    /// The timeout in nanoseconds, nil when the client sent none.
    var timeoutNanoseconds: UInt64?
    /// The request's `grpc-encoding` (nil = identity).
    var requestEncoding: String?
    /// The client lists gzip in its grpc-accept-encoding.
    var clientAcceptsGzip: Bool
    /// Whether a handler's request for a compressed response may be honoured: the client lists
    /// gzip, or sent no grpc-accept-encoding at all (gRPC's compression doc: compress when asked
    /// unless the client is known not to support it, as the C++ server does). A client that
    /// lists other encodings only gets identity.
    var mayCompressResponses: Bool

    /// Why a request is refused before any handler runs.
    struct Rejection: Error, Hashable {
        var httpStatus: Int
        var error: RPCError
        var includeAcceptEncoding = false
    }

    static func parse(_ fields: [HeaderField]) -> Result<ServerRequestHead, Rejection> {
        var method: String? = nil
        var path: String? = nil
        var contentType: String? = nil
        var te: String? = nil
        var timeout: String? = nil
        var encoding: String? = nil
        var acceptEncoding: String? = nil
        var hasCustom = false
        for field in fields {
            switch field.name {
            case ":method": method = field.value
            case ":path": path = field.value
            case "content-type": contentType = field.value
            case "te": te = field.value
            case "grpc-timeout": timeout = field.value
            case "grpc-encoding": encoding = field.value
            case "grpc-accept-encoding": acceptEncoding = field.value
            case ":scheme", ":authority", "user-agent", "content-length": break
            default: hasCustom = true
            }
        }
        guard method == "POST" else {
            return .failure(
                Rejection(
                    httpStatus: 405,
                    error: RPCError(.internal, "HTTP method \(method ?? "(none)") is not allowed: gRPC requires POST")))
        }
        guard let contentType, isGRPCContentType(contentType) else {
            return .failure(
                Rejection(
                    httpStatus: 415,
                    error: RPCError(
                        .internal,
                        "content-type '\(contentType ?? "")' is not gRPC: expected application/grpc or application/grpc+proto")))
        }
        guard te == "trailers" else {
            return .failure(
                Rejection(
                    httpStatus: 400,
                    error: RPCError(.internal, "missing 'te: trailers' header (required by gRPC over HTTP/2)")))
        }
        guard let path else {
            return .failure(Rejection(httpStatus: 200, error: RPCError(.unimplemented, "missing :path")))
        }
        var timeoutNanoseconds: UInt64? = nil
        if let timeout {
            guard let nanoseconds = GRPCTimeout.parseNanoseconds(timeout) else {
                return .failure(
                    Rejection(
                        httpStatus: 200,
                        error: RPCError(
                            .internal, "malformed grpc-timeout '\(timeout)': expected 1-8 digits and a unit (H M S m u n)")))
            }
            timeoutNanoseconds = nanoseconds
        }
        if let encoding, MessageEncoding(headerValue: encoding) == nil {
            return .failure(
                Rejection(
                    httpStatus: 200,
                    error: RPCError(
                        .unimplemented,
                        "grpc-encoding '\(encoding)' is not supported; supported: \(MessageEncoding.acceptEncodingHeaderValue)"),
                    includeAcceptEncoding: true))
        }
        var metadata = Metadata()
        if hasCustom {
            if let invalid = MetadataCoding.invalidBinaryField(in: fields) {
                return .failure(
                    Rejection(
                        httpStatus: 200,
                        error: RPCError(.internal, "metadata '\(invalid)' is not valid base64 (-bin values must be base64)")))
            }
            metadata = MetadataCoding.decode(fields)
        }
        let acceptsGzip = acceptEncoding.map { MessageEncoding.parseAcceptEncoding($0).contains(.gzip) } ?? false
        return .success(
            ServerRequestHead(
                path: path, metadata: metadata, timeoutNanoseconds: timeoutNanoseconds, requestEncoding: encoding,
                clientAcceptsGzip: acceptsGzip, mayCompressResponses: acceptsGzip || acceptEncoding == nil))
    }

    static func isGRPCContentType(_ value: String) -> Bool {
        if value == "application/grpc" { return true }
        let utf8 = value.utf8
        let prefix = "application/grpc".utf8
        guard utf8.starts(with: prefix) else { return false }
        let rest = utf8.dropFirst(prefix.count)
        guard let next = rest.first else { return true }
        return next == UInt8(ascii: "+") || next == UInt8(ascii: ";")
    }
}
