extension ToneScorer {
    /// Model-file section tag.
    public static let sectionTag = "TONE"

    public func write(to writer: inout ByteWriter) {
        writer.write(UInt16(1))
        features.write(to: &writer)
        writer.write(temperature)
        writer.write(cueBonus)
        writer.write(threshold)
        weights.encode(into: &writer)
    }

    public convenience init(reading reader: inout ByteReader) throws(ModelFileError) {
        let version = try reader.readUInt16()
        guard version == 1 else { throw .malformed(reader.section, "unsupported tone model version \(version)") }
        let features = try NgramFeatures(reading: &reader)
        let temperature = try reader.readFloat()
        let cueBonus = try reader.readFloat()
        let threshold = try reader.readDouble()
        let weights = try LinearWeights(from: &reader)
        guard weights.classCount == 2, weights.dimension == features.dimension else {
            throw .malformed(reader.section, "tone weights \(weights.dimension) x \(weights.classCount) do not match \(features.dimension) buckets x 2")
        }
        guard temperature.isFinite, temperature > 0, cueBonus.isFinite, threshold.isFinite, (0...1).contains(threshold) else {
            throw .malformed(reader.section, "temperature, cue bonus or threshold out of range")
        }
        self.init(weights: weights, features: features, temperature: temperature, cueBonus: cueBonus, threshold: threshold)
    }
}
