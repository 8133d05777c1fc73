extension ToneScorer {
    /// Model-file section tag.
    public static let sectionTag = "TONE"

    public func write(to writer: inout ByteWriter) {
        writer.write(UInt16(2))
        features.write(to: &writer)
        writer.write(temperature)
        writer.write(cueBonus)
        writer.write(threshold)
        writer.write(UInt32(angerTerms.count))
        for term in angerTerms {
            writer.write(term.term)
            writer.write(term.language)
            writer.write(UInt8((term.openStart ? 1 : 0) | (term.openEnd ? 2 : 0)))
        }
        weights.encode(into: &writer)
    }

    public convenience init(reading reader: inout ByteReader) throws(ModelFileError) {
        let version = try reader.readUInt16()
        guard version == 2 else { throw .malformed(reader.section, "unsupported tone model version \(version)") }
        let features = try NgramFeatures(reading: &reader)
        let temperature = try reader.readFloat()
        let cueBonus = try reader.readFloat()
        let threshold = try reader.readDouble()
        let termCount = Int(try reader.readUInt32())
        guard termCount <= reader.remaining else { throw .malformed(reader.section, "anger term count \(termCount) exceeds the section") }
        var angerTerms: [ToneTerm] = []
        angerTerms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            let term = try reader.readString()
            let language = try reader.readString()
            let flags = try reader.readUInt8()
            guard !term.isEmpty, flags < 4 else { throw .malformed(reader.section, "bad anger term \"\(term)\"") }
            angerTerms.append(ToneTerm(term: term, language: language, openStart: flags & 1 != 0, openEnd: flags & 2 != 0))
        }
        let weights = try LinearWeights(from: &reader)
        guard weights.classCount == 2, weights.dimension == features.dimension else {
            throw .malformed(reader.section, "tone weights \(weights.dimension) x \(weights.classCount) do not match \(features.dimension) buckets x 2")
        }
        guard TemperatureScaling.loadableRange.contains(temperature), LinearWeights.isPlausibleParameter(cueBonus),
            threshold.isFinite, (0...1).contains(threshold)
        else {
            throw .malformed(reader.section, "temperature, cue bonus or threshold out of range")
        }
        self.init(weights: weights, features: features, temperature: temperature, cueBonus: cueBonus, threshold: threshold,
                  angerTerms: angerTerms)
    }
}
