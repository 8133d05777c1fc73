internal import HTTP2
internal import RPC

/// Header fields every response uses, built once.
enum ResponseHeaders {
    static let ok: [HeaderField] = [
        HeaderField(name: ":status", value: "200"),
        HeaderField(name: "content-type", value: "application/grpc"),
        HeaderField(name: "grpc-accept-encoding", value: MessageEncoding.acceptEncodingHeaderValue),
    ]

    static let okTrailers: [HeaderField] = [HeaderField(name: "grpc-status", value: "0")]

    static let gzipEncoding = HeaderField(name: "grpc-encoding", value: "gzip")
    static let acceptEncoding = HeaderField(name: "grpc-accept-encoding", value: MessageEncoding.acceptEncodingHeaderValue)

    /// The head of an answer to a request that is not gRPC: a real HTTP status, a text body.
    static func plainText(httpStatus: Int) -> [HeaderField] {
        [HeaderField(name: ":status", value: String(httpStatus)), HeaderField(name: "content-type", value: "text/plain; charset=utf-8")]
    }

    /// Tells a client's retry policy how long to wait (gRPC A6 server pushback).
    static func retryPushback(milliseconds: Int) -> HeaderField {
        HeaderField(name: "grpc-retry-pushback-ms", value: String(milliseconds))
    }

    private static let statusFields: [HeaderField] = (0...16).map { HeaderField(name: "grpc-status", value: String($0)) }

    static func status(_ code: Status.Code) -> HeaderField {
        if code.rawValue >= 0 && code.rawValue < statusFields.count { return statusFields[code.rawValue] }
        return HeaderField(name: "grpc-status", value: String(code.rawValue))
    }
}
