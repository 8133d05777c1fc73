import Foundation
import Testing
@testable import Classifier

/// Inputs the `model-file` fuzz target found (Fuzz/Regressions/model-file, replayed by
/// Tools/fuzz.sh too), each checked here for the outcome it must have.
@Suite struct FuzzRegressionTests {
    static func regression(_ name: String) throws -> [UInt8] {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return Array(try Data(contentsOf: url.appendingPathComponent("Fuzz/Regressions/model-file/\(name)")))
    }

    /// A model whose language weights hold a NaN (the tiny seed model with 4 bytes set to 0xFF):
    /// scoring any Latin text trapped in `Float.exponential` (`Int(NaN)`), taking the server down
    /// when the model loaded. It is refused at load now, naming the section and the weight.
    @Test func aNaNWeightIsRefusedAtLoad() throws {
        let bytes = try Self.regression("nan-language-weight.rimodel")
        #expect(throws: ModelFileError.self) { try MessageAnalyzer.load(bytes: bytes) }
        do {
            _ = try MessageAnalyzer.load(bytes: bytes)
        } catch {
            #expect(error.kind == .malformedSection)
            #expect(error.message.contains("LANG"), "\(error.message)")
            #expect(error.message.contains("must be finite"), "\(error.message)")
        }
    }

    /// Scores can still overflow to infinity (inf - inf = NaN): softmax must not trap on them.
    @Test func softmaxOfNaNAndInfiniteScoresDoesNotTrap() {
        #expect(Float.nan.exponential.isNaN)
        var scores: [Float] = [.nan, 1, 2]
        softmaxInPlace(&scores)
        var infinite: [Float] = [.infinity, .infinity, 0]
        softmaxInPlace(&infinite)
        #expect(infinite[2] == 0 || infinite[2].isNaN)
        #expect(Float(-100).exponential == 0)
        #expect(Float(100).exponential == .infinity)
    }
}
