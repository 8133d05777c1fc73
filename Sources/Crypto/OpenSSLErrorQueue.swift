internal import COpenSSL

/// OpenSSL's per-thread error queue, shared by every module that calls libcrypto or libssl
/// (Crypto and TLS). Cleared before a call whose errors are read (so `SSL_get_error` reads only
/// that call's errors) and drained into text when a call fails.
package enum OpenSSLErrorQueue {
    package static func clear() { ERR_clear_error() }

    /// Every queued error's reason, oldest first, joined by "; " (and the queue emptied).
    package static func drain() -> String {
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

    /// The queue's text (emptied), or `fallback` when OpenSSL queued nothing.
    package static func reason(fallback: String = "unknown OpenSSL error") -> String {
        let text = drain()
        return text.isEmpty ? fallback : text
    }
}
