internal import HTTP2
internal import RPC

/// Reads a gRPC response's header blocks (response headers, trailers, Trailers-Only) and
/// stream resets into what a client call reports: metadata, the response encoding and a status.
///
/// Pure functions over header fields (no I/O), following grpc/doc/PROTOCOL-HTTP2.md and
/// grpc/doc/http-grpc-status-mapping.md. Three kinds of bad input are handled: a non-200 or
/// non-gRPC response (status from the HTTP status), trailers without `grpc-status` (INTERNAL),
/// and an unsupported `grpc-encoding` (INTERNAL when a compressed message arrives).
enum ClientResponseHead {
    /// What the first header block of a response says.
    enum Headers: Sendable, Equatable {
        /// Normal response headers: messages and trailers follow.
        case headers(metadata: Metadata, encoding: String?)
        /// Trailers-Only: the call ended in this block.
        case trailersOnly(status: Status, metadata: Metadata)
        /// Not a gRPC response; the call fails with this status.
        case invalid(Status)
    }

    /// Parses the response headers; `endStream` marks a Trailers-Only response.
    static func parseHeaders(_ fields: [HeaderField], endStream: Bool) -> Headers {
        var httpStatus: Int? = nil
        var contentType: String? = nil
        var encoding: String? = nil
        var grpcStatus: String? = nil
        for field in fields {
            switch field.name {
            case ":status": httpStatus = Int(field.value)
            case "content-type": contentType = field.value
            case "grpc-encoding": encoding = field.value
            case "grpc-status": grpcStatus = field.value
            default: break
            }
        }
        guard let httpStatus else {
            return .invalid(Status(code: .internal, message: "response headers have no :status"))
        }
        if httpStatus != 200 {
            // A gRPC status, when present, wins over the HTTP status (some proxies answer that way).
            if grpcStatus != nil, endStream {
                let (status, metadata) = parseTrailers(fields)
                return .trailersOnly(status: status, metadata: metadata)
            }
            return .invalid(
                Status(code: Status.Code(httpStatus: httpStatus), message: "HTTP status \(httpStatus) from the server (not a gRPC response)"))
        }
        if endStream || grpcStatus != nil {
            let (status, metadata) = parseTrailers(fields)
            return .trailersOnly(status: status, metadata: metadata)
        }
        guard let contentType, isGRPCContentType(contentType) else {
            return .invalid(
                Status(code: .unknown, message: "response content-type '\(contentType ?? "")' is not application/grpc"))
        }
        let normalized = encoding.map { $0 == "identity" ? nil : $0 } ?? nil
        return .headers(metadata: MetadataCoding.decode(fields), encoding: normalized)
    }

    /// Parses trailers (or a Trailers-Only block) into the final status and trailing metadata.
    static func parseTrailers(_ fields: [HeaderField]) -> (Status, Metadata) {
        var code: Status.Code? = nil
        var rawCode: String? = nil
        var message = ""
        for field in fields {
            switch field.name {
            case "grpc-status":
                rawCode = field.value
                code = Int(field.value).map(Status.Code.init(rawValue:))
            case "grpc-message":
                message = PercentEncoding.decode(field.value)
            default: break
            }
        }
        let metadata = MetadataCoding.decode(fields)
        guard let code else {
            let why =
                rawCode.map { "the server sent an invalid grpc-status '\($0)'" }
                ?? "the server ended the call without a grpc-status"
            return (Status(code: .internal, message: message.isEmpty ? why : "\(why): \(message)"), metadata)
        }
        return (Status(code: code, message: message), metadata)
    }

    /// The status of a call whose stream was reset before trailers arrived
    /// (grpc/doc/PROTOCOL-HTTP2.md, "Errors").
    static func status(forReset errorCode: UInt32) -> Status {
        switch errorCode {
        case HTTP2ErrorCode.noError:
            return Status(code: .internal, message: "the server closed the stream without sending trailers")
        case HTTP2ErrorCode.refusedStream:
            return Status(code: .unavailable, message: "the server refused the stream (RST_STREAM REFUSED_STREAM)")
        case HTTP2ErrorCode.cancel:
            return Status(code: .cancelled, message: "the server cancelled the stream (RST_STREAM CANCEL)")
        case HTTP2ErrorCode.enhanceYourCalm:
            return Status(code: .resourceExhausted, message: "the server reset the stream with ENHANCE_YOUR_CALM")
        case HTTP2ErrorCode.inadequateSecurity:
            return Status(code: .permissionDenied, message: "the server reset the stream with INADEQUATE_SECURITY")
        default:
            return Status(code: .internal, message: "the server reset the stream with HTTP/2 error code \(errorCode)")
        }
    }

    /// Whether a content-type is gRPC's (`application/grpc`, optionally `+proto` etc. or `;params`).
    static func isGRPCContentType(_ value: String) -> Bool {
        let lower = value.lowercased()
        guard lower.hasPrefix("application/grpc") else { return false }
        let rest = lower.dropFirst("application/grpc".count)
        return rest.isEmpty || rest.first == "+" || rest.first == ";"
    }
}
