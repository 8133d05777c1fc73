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

    /// A model that passed the load-time probe but scored other messages NaN: its checksum made
    /// right after parameters far outside what training produces (so sums overflowed to
    /// inf - inf). Parameters and temperatures are bounded at load now, which keeps every score
    /// finite; this file is refused.
    @Test func implausibleParametersAreRefusedAtLoad() throws {
        let bytes = try Self.regression("nan-confidence-after-probe.rimodel")
        do {
            let analyzer = try MessageAnalyzer.load(bytes: bytes)
            Issue.record("loaded; scores \(analyzer.analyze(text: "¿dónde está mi pedido?").intent.confidence)")
        } catch {
            #expect(error.kind == .malformedSection)
            #expect(error.message.contains("must be finite") || error.message.contains("out of range"), "\(error.message)")
        }
    }

    /// The default model's parameters are far inside the load bounds.
    @Test func theBoundsLeaveRoomForTrainedModels() {
        let model = TestModels.model
        #expect(model.weights.weights.allSatisfy { abs($0) < LinearWeights.maxParameterMagnitude / 100 })
        #expect(TemperatureScaling.loadableRange.contains(model.metadata.temperature))
        #expect(TemperatureScaling.loadableRange.contains(Float(exp(-3.0))))
        #expect(TemperatureScaling.loadableRange.contains(Float(exp(3.0))))
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
