import FuzzSupport

/// Input: exactly the bytes a client writes on an h2c connection to the real server
/// (preface, SETTINGS, HEADERS, DATA, ...; Fuzz/Corpus/grpc-server).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    LoopbackServer.exchange(inputBytes(data, size)[...])
    return 0
}
