import GZip
import Messages

/// `deframer` inputs: [encoding selector, chunking selector] + a stream's DATA bytes. Encoding
/// selectors: 0 none, 1 identity, 2 gzip, 3 deflate (unsupported), 4 snappy (unsupported).
enum DeframerSeeds {
    static func write(to writer: CorpusWriter) throws {
        let simple = SimpleRequest(responseSize: 16, payload: Payload(body: Array("hello fuzz".utf8))).serializedBytes()
        let text = Array(String(repeating: "where is my order? ", count: 40).utf8)
        let seeds: [(String, [UInt8])] = [
            ("plain-two-messages", [0, 0] + (try frame(simple)) + (try frame([]))),
            ("plain-in-3-byte-pieces", [0, 3] + (try frame(simple)) + (try frame(text))),
            ("gzip-compressed-and-not", [2, 0] + (try frame(text, gzip: true)) + (try frame(simple))),
            ("gzip-in-1-byte-pieces", [2, 1] + (try frame(simple, gzip: true))),
            ("gzip-over-the-limit", [2, 0] + (try frame(Array(repeating: 0, count: 100_000), gzip: true))),
            ("identity-with-flag", [1, 0] + (try frame(text, gzip: true))),
            ("unsupported-encoding", [3, 0] + (try frame(text, gzip: true))),
            ("truncated", [0, 0] + Array((try frame(text)).dropLast(5))),
            ("gzip-member", [2, 0] + (try GZip.compress(text))),
        ]
        for (name, bytes) in seeds { try writer.write(bytes, target: "deframer", name: name) }
    }
}
