internal import Glibc
internal import CPosix

/// Name resolution and address formatting for TCP sockets (IPv4 and IPv6).
enum SocketAddress {
    /// One resolved address, copied out of `getaddrinfo`'s list.
    struct Resolved {
        var family: Int32
        var storage: sockaddr_storage
        var length: socklen_t
    }

    /// Resolves `host` (a name, `"localhost"`, an IPv4 or IPv6 literal, `"0.0.0.0"`, `"::"`,
    /// or `""`/`"*"` for every local address) and `port` for TCP. IPv4 results come first, so
    /// `localhost` means 127.0.0.1 when it resolves to both.
    ///
    /// - Throws: a ``SystemCallError`` with `call` `getaddrinfo(host)` and the negative EAI code.
    static func resolve(host: String, port: Int, passive: Bool) throws(SystemCallError) -> [Resolved] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        let node: String? = (host.isEmpty || host == "*") ? nil : host.trimmingBrackets()
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let code: Int32
        if let node {
            code = getaddrinfo(node, String(port), &hints, &list)
        } else {
            code = getaddrinfo(nil, String(port), &hints, &list)
        }
        if code != 0 {
            let text = code == EAI_SYSTEM ? String(cString: strerror(Glibc.errno)) : String(cString: gai_strerror(code))
            throw SystemCallError(call: "getaddrinfo(\(host))", errno: code, message: text)
        }
        defer { freeaddrinfo(list) }
        var results: [Resolved] = []
        var cursor = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr,
                entry.pointee.ai_family == AF_INET || entry.pointee.ai_family == AF_INET6
            {
                var storage = sockaddr_storage()
                let length = entry.pointee.ai_addrlen
                withUnsafeMutableBytes(of: &storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(length)))
                }
                results.append(Resolved(family: entry.pointee.ai_family, storage: storage, length: length))
            }
            cursor = entry.pointee.ai_next
        }
        // Stable: IPv4 first, otherwise getaddrinfo's order.
        let v4 = results.filter { $0.family == AF_INET }
        let v6 = results.filter { $0.family != AF_INET }
        return v4 + v6
    }

    /// `127.0.0.1:50051` or `[::1]:50051`; `"unknown"` for other families.
    static func format(_ storage: sockaddr_storage) -> String {
        var storage = storage
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> String in
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                        var ip = v4.pointee.sin_addr
                        inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
                        return "\(text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }):\(UInt16(bigEndian: v4.pointee.sin_port))"
                    }
                case AF_INET6:
                    return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                        var ip = v6.pointee.sin6_addr
                        inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count))
                        return "[\(text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })]:\(UInt16(bigEndian: v6.pointee.sin6_port))"
                    }
                default:
                    return "unknown"
                }
            }
        }
    }

    /// The port of an IPv4 or IPv6 address.
    static func port(_ storage: sockaddr_storage) -> Int? {
        var storage = storage
        return withUnsafePointer(to: &storage) { pointer in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            case AF_INET6:
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            default:
                nil
            }
        }
    }
}

extension String {
    /// `[::1]` → `::1` (URL-style IPv6 literals).
    fileprivate func trimmingBrackets() -> String {
        if hasPrefix("["), hasSuffix("]") { return String(dropFirst().dropLast()) }
        return self
    }
}
