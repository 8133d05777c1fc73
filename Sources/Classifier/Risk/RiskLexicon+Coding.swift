extension RiskLexicon {
    /// Model-file section tag.
    public static let sectionTag = "RISK"

    /// Section payload: format version, then the terms (the automaton is rebuilt on load: a few
    /// thousand nodes, well under a millisecond in release builds).
    public func write(to writer: inout ByteWriter) {
        writer.write(UInt16(1))
        writer.write(UInt32(terms.count))
        for term in terms {
            writer.write(term.term)
            writer.write(term.language)
            writer.write(term.category.rawValue)
            var flags: UInt8 = 0
            if term.openStart { flags |= 1 }
            if term.openEnd { flags |= 2 }
            if term.strict { flags |= 4 }
            writer.write(flags)
        }
    }

    public convenience init(reading reader: inout ByteReader) throws(ModelFileError) {
        let version = try reader.readUInt16()
        guard version == 1 else { throw .malformed(reader.section, "unsupported lexicon format version \(version)") }
        let count = Int(try reader.readUInt32())
        guard count <= reader.remaining else { throw .malformed(reader.section, "term count \(count) exceeds the section") }
        var terms: [RiskTerm] = []
        terms.reserveCapacity(count)
        for _ in 0..<count {
            let term = try reader.readString()
            let language = try reader.readString()
            let categoryName = try reader.readString()
            let flags = try reader.readUInt8()
            guard let category = RiskCategory(rawValue: categoryName) else {
                throw .malformed(reader.section, "unknown risk category \"\(categoryName)\"")
            }
            guard !term.isEmpty, flags < 8 else { throw .malformed(reader.section, "bad term entry \"\(term)\"") }
            terms.append(RiskTerm(term: term, language: language, category: category,
                                  openStart: flags & 1 != 0, openEnd: flags & 2 != 0, strict: flags & 4 != 0))
        }
        self.init(terms: terms)
    }
}
