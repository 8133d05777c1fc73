import FuzzSupport
import GRPCTransport
import GZip
import RPC

/// The gRPC message deframer with and without gzip, and gzip itself.
///
/// Input: byte 0 picks the stream's `grpc-encoding` (none, identity, gzip, an unsupported one),
/// byte 1 how the rest is cut into DATA chunks, then the stream's DATA bytes (length-prefixed
/// messages; Fuzz/Corpus/deframer).
///
/// Checked beyond "does not crash": no message is larger than the limit; the messages a stream
/// gives do not depend on how its bytes were split (fed whole and fed in pieces, the same
/// messages and the same outcome); every compressed message is a gzip member that `GZip` inflates
/// to the same bytes, and compressing and inflating it again gives it back.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(inputBytes(data, size))
    let encoding: String? = [nil, "identity", "gzip", "deflate", "snappy"][input.choice(5)]
    let selector = input.byte()
    let body = input.rest()
    let limit = 64 * 1024

    let whole = deframe([body], encoding: encoding, limit: limit)
    let pieces = deframe(Chunking.pieces(of: body, selector: selector), encoding: encoding, limit: limit)
    guard whole.messages == pieces.messages, whole.error?.code == pieces.error?.code else {
        fatalError("the messages depend on how the DATA was split: \(whole) vs \(pieces)")
    }
    for message in whole.messages {
        guard message.bytes.count <= limit else { fatalError("a message of \(message.bytes.count) bytes passed the \(limit) limit") }
        let again = try! GZip.decompress(try! GZip.compress(message.bytes), limit: limit)
        guard again == message.bytes else { fatalError("gzip round trip changed a \(message.bytes.count)-byte message") }
    }
    // gzip on its own: the body as one member, with a limit the input can reach.
    if let inflated = try? GZip.decompress(Array(body), limit: 4096) {
        guard inflated.count <= 4096 else { fatalError("GZip.decompress returned more than its limit") }
    }
    return 0
}

struct Outcome: CustomStringConvertible {
    var messages: [ReceivedMessage] = []
    var error: RPCError? = nil
    var description: String { "\(messages.count) messages, \(error.map { "\($0)" } ?? "no error")" }
}

/// Feeds the pieces in order, then ends the stream, as the server does with a stream's DATA.
func deframe(_ pieces: [ArraySlice<UInt8>], encoding: String?, limit: Int) -> Outcome {
    var deframer = MessageDeframer(maxMessageSize: limit, encoding: encoding)
    var outcome = Outcome()
    do {
        for piece in pieces { try deframer.process(piece, into: &outcome.messages) }
        try deframer.finish()
    } catch {
        outcome.error = error
    }
    return outcome
}
