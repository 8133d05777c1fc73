import FuzzSupport

/// Input: one selector byte (how the rest is cut into socket reads), then exactly the bytes a
/// client writes on the connection: the preface, SETTINGS, HEADERS, DATA, ... (Fuzz/Corpus/http2-server).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(inputBytes(data, size))
    let selector = input.byte()
    guard let chain = try? ServerChain() else { fatalError("HTTP2Session(role: .server) could not be created") }
    for piece in Chunking.pieces(of: input.rest(), selector: selector) {
        guard chain.receive(piece) else { break }
    }
    return 0
}
