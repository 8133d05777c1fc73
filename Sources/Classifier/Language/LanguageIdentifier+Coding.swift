extension LanguageIdentifier {
    /// Model-file section tag.
    public static let sectionTag = "LANG"

    public func write(to writer: inout ByteWriter) {
        writer.write(UInt16(1))
        writer.write(latinLanguages)
        features.write(to: &writer)
        writer.write(temperature)
        writer.write(minimumConfidence)
        weights.encode(into: &writer)
    }

    public convenience init(reading reader: inout ByteReader) throws(ModelFileError) {
        let version = try reader.readUInt16()
        guard version == 1 else { throw .malformed(reader.section, "unsupported language model version \(version)") }
        let languages = try reader.readStrings()
        let features = try NgramFeatures(reading: &reader)
        let temperature = try reader.readFloat()
        let minimumConfidence = try reader.readDouble()
        let weights = try LinearWeights(from: &reader)
        guard languages.count == weights.classCount, languages.count >= 2 else {
            throw .malformed(reader.section, "\(languages.count) language labels for \(weights.classCount) classes")
        }
        guard weights.dimension == features.dimension else {
            throw .malformed(reader.section, "weights have \(weights.dimension) rows, features \(features.dimension) buckets")
        }
        guard TemperatureScaling.loadableRange.contains(temperature), minimumConfidence.isFinite,
            (0...1).contains(minimumConfidence)
        else {
            throw .malformed(reader.section, "temperature \(temperature) or threshold \(minimumConfidence) out of range")
        }
        self.init(latinLanguages: languages, weights: weights, features: features, temperature: temperature,
                  minimumConfidence: minimumConfidence)
    }
}
