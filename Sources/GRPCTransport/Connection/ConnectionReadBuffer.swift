/// The bytes one read(2) fills: sized once, overwritten from the front by every read (no
/// allocation or zero-fill per read). A server loop shares one among its connections (reads
/// never overlap on one thread); a client connection has its own.
final class ConnectionReadBuffer {
    var bytes: [UInt8]

    init(size: Int = 64 * 1024) {
        bytes = [UInt8](repeating: 0, count: size)
    }
}
