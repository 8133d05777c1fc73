/// How text becomes a hashed feature vector. Stored in the model file, so scoring always uses
/// the settings the model was trained with.
public struct FeatureSettings: Sendable, Equatable, Codable {
    /// log2 of the number of hash buckets.
    public var bucketBits: Int = 18
    /// Character n-gram lengths for words of space-delimited scripts (with boundary markers).
    public var charMinN: Int = 2
    public var charMaxN: Int = 5
    /// Character n-grams run over consecutive words (spaces included, like scikit-learn's `char`
    /// analyser) instead of within each word (`char_wb`).
    public var charNGramsAcrossWords: Bool = false
    /// Character n-gram lengths for runs of no-space scripts (Han, kana, Thai, ...).
    public var noSpaceMinN: Int = 1
    public var noSpaceMaxN: Int = 3
    public var wordUnigrams: Bool = true
    public var wordBigrams: Bool = true
    /// Multiplier for word unigram/bigram features relative to character n-grams.
    public var wordWeight: Float = 1
    /// 1 + ln(tf) instead of tf.
    public var sublinearTF: Bool = true
    /// Multiply by inverse document frequency (learnt on the training rows, stored in the model).
    public var idf: Bool = true
    /// Only the first `maxScalars` Unicode scalars of a message are read.
    public var maxScalars: Int = 2000

    public init() {}

    public var bucketCount: Int { 1 << bucketBits }

    public var summary: String {
        "buckets=2^\(bucketBits) char=\(charMinN)-\(charMaxN)\(charNGramsAcrossWords ? " across words" : "") nospace=\(noSpaceMinN)-\(noSpaceMaxN) "
            + "words=\(wordUnigrams ? "1" : "")\(wordBigrams ? "+2" : "") wordWeight=\(wordWeight) "
            + "tf=\(sublinearTF ? "sublinear" : "raw")\(idf ? " idf" : "") l2norm maxScalars=\(maxScalars)"
    }

    public func encode(into writer: inout ByteWriter) {
        writer.write(bucketBits)
        writer.write(charMinN)
        writer.write(charMaxN)
        writer.write(noSpaceMinN)
        writer.write(noSpaceMaxN)
        writer.write(wordUnigrams)
        writer.write(wordBigrams)
        writer.write(wordWeight)
        writer.write(sublinearTF)
        writer.write(maxScalars)
        writer.write(idf)
        writer.write(charNGramsAcrossWords)
    }

    public init(from reader: inout ByteReader) throws(ModelFileError) {
        bucketBits = try reader.readInt()
        charMinN = try reader.readInt()
        charMaxN = try reader.readInt()
        noSpaceMinN = try reader.readInt()
        noSpaceMaxN = try reader.readInt()
        wordUnigrams = try reader.readBool()
        wordBigrams = try reader.readBool()
        wordWeight = try reader.readFloat()
        sublinearTF = try reader.readBool()
        maxScalars = try reader.readInt()
        idf = try reader.readBool()
        charNGramsAcrossWords = try reader.readBool()
        guard (8...26).contains(bucketBits), charMinN >= 1, charMaxN >= charMinN, charMaxN <= 12,
              noSpaceMinN >= 1, noSpaceMaxN >= noSpaceMinN, noSpaceMaxN <= 12, maxScalars > 0,
              wordWeight.isFinite
        else { throw .malformed(reader.section, "impossible feature settings (\(summary))") }
    }
}
