import Testing
@testable import Policy

@Suite struct ReasonTextTests {
    @Test func scoresHaveTwoDecimals() {
        #expect(ReasonText.score(0.913) == "0.91")
        #expect(ReasonText.score(0.915_01) == "0.92")
        #expect(ReasonText.score(1) == "1.00")
        #expect(ReasonText.score(0) == "0.00")
        #expect(ReasonText.score(0.05) == "0.05")
    }

    @Test func comparedScoresNeverLookEqualWhenTheyDiffer() {
        #expect(ReasonText.scores(0.849, 0.85) == ("0.849", "0.850"))
        #expect(ReasonText.scores(0.71, 0.85) == ("0.71", "0.85"))
        #expect(ReasonText.scores(0.85, 0.85) == ("0.85", "0.85"))
    }
}
