import Testing
@testable import Classifier

@Suite struct AhoCorasickTests {
    func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    func matches(_ patterns: [String], in text: String) -> [String] {
        let automaton = AhoCorasick(patterns: patterns.map(scalars))
        var found: [String] = []
        automaton.forEachMatch(in: scalars(text)) { pattern, end in
            found.append("\(patterns[pattern])@\(end - Int(automaton.patternLengths[pattern]))")
        }
        return found
    }

    @Test func findsEveryOccurrenceIncludingSuffixesAndOverlaps() {
        // The textbook example: he, she, his, hers in "ushers".
        #expect(matches(["he", "she", "his", "hers"], in: "ushers") == ["she@1", "he@2", "hers@2"])
        #expect(matches(["aa"], in: "aaaa") == ["aa@0", "aa@1", "aa@2"])
        #expect(matches(["abc", "bcd", "c"], in: "xabcdx") == ["abc@1", "c@3", "bcd@2"])
    }

    @Test func agreesWithANaiveSearch() {
        let patterns = ["ab", "ba", "aba", "bab", "a", "bb", "abba"]
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let length = Int(rng.next() % 20)
            let text = String((0..<length).map { _ in rng.next() % 2 == 0 ? Character("a") : Character("b") })
            var expected: [String] = []
            let chars = Array(text)
            for end in 1...max(1, chars.count) where end <= chars.count {
                for pattern in patterns {
                    let p = Array(pattern)
                    if p.count <= end && Array(chars[end - p.count..<end]) == p { expected.append("\(pattern)@\(end - p.count)") }
                }
            }
            #expect(Set(matches(patterns, in: text)) == Set(expected), "\(text)")
            #expect(matches(patterns, in: text).count == expected.count)
        }
    }

    @Test func emptyInputs() {
        #expect(matches([], in: "abc").isEmpty)
        #expect(matches(["a"], in: "").isEmpty)
        #expect(matches(["", "b"], in: "abc") == ["b@1"])
    }

    @Test func nonBMPScalars() {
        #expect(matches(["𠀀𠀁", "😀"], in: "x𠀀𠀁😀") == ["𠀀𠀁@1", "😀@3"])
    }
}
