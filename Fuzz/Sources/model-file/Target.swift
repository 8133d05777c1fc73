import Classifier
import FuzzSupport
@testable import ModelCache

/// The model file loader: `ModelFile.decode` of the bytes as they are (magic, version, length,
/// checksum), then of the bytes with their length and CRC-32 made right, so that the section
/// readers (META INTN LANG TONE RISK) see every mutation; a model that loads is put through the
/// probe `ModelCache` makes before serving a model, and one that passes scores a few messages, as
/// the service would. Input: a model file (Fuzz/Corpus/model-file: small models the training code
/// made, not the 28 MB default).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    _ = try? ModelFile.decode(bytes)
    let repaired = withLengthAndChecksum(bytes)
    guard let analyzer = try? MessageAnalyzer.load(bytes: repaired) else { return 0 }
    let probe = ModelCacheConfiguration(defaultModelPath: "").probeText
    guard ModelLoader.probeProblem(analyzer, probeText: probe) == nil else { return 0 }
    let scratch = AnalysisScratch()
    for text in messages {
        let analysis = analyzer.analyze(text: text, languageHint: nil, scratch: scratch, topK: 3)
        guard analysis.intent.confidence.isFinite, analysis.tone.isFinite else {
            fatalError("a model that passed the probe scored \"\(text)\" as \(analysis)")
        }
    }
    return 0
}

/// Buyer messages in the scripts the classifier treats differently.
let messages = [
    "", "where is my order", "I want a REFUND now!!! or I will leave a 1 star review", "¿dónde está mi pedido?",
    "我的订单在哪里", "أين طلبي", "พัสดุของฉันอยู่ที่ไหน", "注文はどこですか", "😡😡 scam seller 12345 http://x.y",
    String(repeating: "a", count: 3000),
]

/// `bytes` with the header's total length (offset 8, UInt64 little-endian) and the trailing CRC-32
/// set to what they must be; unchanged when too short to have both.
func withLengthAndChecksum(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= 24 else { return bytes }
    var fixed = bytes
    let length = UInt64(bytes.count)
    for index in 0..<8 { fixed[8 + index] = UInt8(truncatingIfNeeded: length >> UInt64(8 * index)) }
    let crc = CRC32.checksum(fixed, range: 0..<(fixed.count - 4))
    for index in 0..<4 { fixed[fixed.count - 4 + index] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * index)) }
    return fixed
}
