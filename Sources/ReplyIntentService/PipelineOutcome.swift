internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy
internal import Replies

/// What the ``ClassificationPipeline`` made of one message: its analysis, priority and the
/// `Classification` that reports them, the model that scored it, and the suggested reply when
/// the request asked for one.
struct PipelineOutcome {
    let message: ValidatedMessage
    let analysis: Analysis
    let assessment: PriorityAssessment
    let classification: Classification
    let model: ModelKey
    var reply: SuggestedReply? = nil
}

/// A rendered reply (nil when no template exists for the intent in any language) and the
/// decision for it.
struct SuggestedReply {
    let rendered: RenderedReply?
    let decision: DecisionOutcome
}
