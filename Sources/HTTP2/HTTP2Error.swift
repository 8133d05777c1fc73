internal import CNGHTTP2

/// A failed nghttp2 call: the library's negative error code, its text, and whether the
/// connection is lost (`isFatal`: the caller must close it) or only the request failed.
public struct HTTP2Error: Error, Sendable, CustomStringConvertible {
    /// The nghttp2 call that failed, such as `nghttp2_session_mem_recv`.
    public let call: String
    /// The negative `NGHTTP2_ERR_*` value.
    public let code: Int32
    /// nghttp2_strerror text.
    public let message: String
    /// True when nghttp2 says the session cannot continue (nghttp2_is_fatal), or when the
    /// failure happened while parsing input (any mem_recv error ends the connection).
    public let isFatal: Bool

    public var description: String { "\(call): \(message) (\(code))\(isFatal ? ", connection lost" : "")" }

    init(call: String, code: Int32, forceFatal: Bool = false) {
        self.call = call
        self.code = code
        self.message = String(cString: nghttp2_strerror(code))
        self.isFatal = forceFatal || nghttp2_is_fatal(code) != 0
    }

    /// An error raised by the wrapper itself (a misuse such as sending on an unknown stream).
    init(call: String, message: String) {
        self.call = call
        self.code = NGHTTP2_ERR_INVALID_ARGUMENT.rawValue
        self.message = message
        self.isFatal = false
    }
}

/// The one place nghttp2 return codes become Swift errors: 0 or positive passes through,
/// negative throws ``HTTP2Error`` (fatal per nghttp2_is_fatal, or always when `fatal` is set).
@discardableResult
func nghttp2Check(_ result: Int, _ call: StaticString, fatal: Bool = false) throws(HTTP2Error) -> Int {
    if result < 0 { throw HTTP2Error(call: "\(call)", code: Int32(truncatingIfNeeded: result), forceFatal: fatal) }
    return result
}

@discardableResult
func nghttp2Check(_ result: Int32, _ call: StaticString, fatal: Bool = false) throws(HTTP2Error) -> Int {
    try nghttp2Check(Int(result), call, fatal: fatal)
}
