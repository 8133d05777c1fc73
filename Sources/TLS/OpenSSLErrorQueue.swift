internal import COpenSSL

/// OpenSSL's per-thread error queue. Cleared before each SSL call (so `SSL_get_error` reads only
/// that call's errors) and drained into text when a call fails.
enum OpenSSLErrorQueue {
    static func clear() { ERR_clear_error() }

    /// Every queued error's reason, oldest first, joined by "; " (and the queue emptied).
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                var text = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &text, text.count)
                reasons.append(text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            }
        }
        return reasons.joined(separator: "; ")
    }

    /// A ``TLSError`` for a failed setup call, with the queue's text or `fallback`.
    static func error(_ operation: String, fallback: String = "unknown OpenSSL error") -> TLSError {
        let text = drain()
        return TLSError(operation: operation, reason: text.isEmpty ? fallback : text)
    }
}
