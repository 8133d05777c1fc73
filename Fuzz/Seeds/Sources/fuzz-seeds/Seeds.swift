import Classifier
import Foundation
import GRPCTransport
import GZip
import HTTP2
import Messages

/// Writes the seed corpus, Fuzz/Corpus/<target>/<name>: small valid inputs of every kind each
/// target reads, made with the project's own encoders (HTTP2Session as a client, MessageFramer,
/// the Messages types, the training code), so the fuzzer starts from inputs that get deep.
///
///     swift run --package-path Fuzz fuzz-seeds <repository root>
@main
struct Seeds {
    static func main() throws {
        let root = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : FileManager.default.currentDirectoryPath
        let writer = CorpusWriter(root: root)
        try ConnectionSeeds.write(to: writer)
        try DeframerSeeds.write(to: writer)
        try MessageSeeds.write(to: writer)
        try FileSeeds.write(to: writer)
        try ModelSeeds.write(to: writer)
        print("seeds written under \(writer.corpus)")
    }
}

struct CorpusWriter {
    let root: String
    var corpus: String { root + "/Fuzz/Corpus" }

    func write(_ bytes: [UInt8], target: String, name: String) throws {
        let directory = corpus + "/" + target
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
    }
}

/// gRPC framing of one message (flag, big-endian length, payload), optionally gzip-compressed.
func frame(_ message: [UInt8], gzip: Bool = false) throws -> [UInt8] {
    try MessageFramer(encoding: gzip ? .gzip : .identity).frame(message, compress: gzip)
}
