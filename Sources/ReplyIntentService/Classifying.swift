internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy

/// One message's analysis, its priority and the `Classification` that reports them.
struct ClassificationResult {
    let analysis: Analysis
    let assessment: PriorityAssessment
    let classification: Classification
}

extension ServiceCore {
    /// Scores one validated message with `snapshot`'s analyzer, on the calling thread, with a
    /// pooled scratch.
    func classify(_ validated: ValidatedMessage, topK: Int, snapshot: ModelSnapshot) -> ClassificationResult {
        let analyzer = snapshot.analyzer
        let analysis = scratches.withScratch { scratch in
            analyzer.analyze(
                text: validated.message.text, languageHint: validated.languageHint, scratch: scratch, topK: topK)
        }
        let assessment = PriorityRules.assess(analysis)
        let classification = ClassificationMapping.classification(
            of: validated.message, analysis: analysis, assessment: assessment, snapshot: snapshot)
        return ClassificationResult(analysis: analysis, assessment: assessment, classification: classification)
    }
}
