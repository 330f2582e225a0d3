/// A validation of the current weights: mean loss per token over `tokens` tokens, and for a
/// translator the corpus BLEU of its greedy translations (which then selects the best model).
public struct Validation: Sendable {
    public var loss: Double
    public var tokens: Int
    public var bleu: Double?
    public init(loss: Double, tokens: Int, bleu: Double? = nil) {
        self.loss = loss
        self.tokens = tokens
        self.bleu = bleu
    }
}

/// What a model supplies to `TrainingLoop`: its batches and their loss-and-gradient step, its
/// validation, its model files, and what is its alone (a language model's carried hidden state and
/// learning-rate schedules). The loop owns everything else.
public protocol TrainingTask: AnyObject {
    /// The parameters (values and gradients) the optimizer updates.
    var store: ParameterStore { get }
    /// Batches in epoch `epoch` (from 1).
    func batchCount(epoch: Int) -> Int
    /// An epoch starts at its first batch (not when a run resumes inside it): reset what is carried
    /// across batches; a schedule may set the epoch's learning rate.
    func startEpoch(_ epoch: Int, learningRate: inout Float)
    /// Forward and backward on batch `batch` of `epoch`: *adds* dL/dθ into `store`'s gradients and
    /// returns the batch's loss. Dropout masks come from `dropout` (row = the batch's row position).
    func accumulateGradients(epoch: Int, batch: Int, dropout: DropoutKey) -> StepLoss
    /// The optimizer has stepped (a language model carries its final state into the next batch).
    func finishStep()
    /// Validation of the current weights, or nil without validation data (the training loss then
    /// selects the best model).
    func validate() -> Validation?
    /// A complete epoch was validated: a schedule may change the learning rate.
    func finishEpoch(validationLoss: Double, learningRate: inout Float)
    /// Writes the model files (config, weights, vocabularies) into `folder`: the best model so far.
    func saveModel(to folder: String) throws
    /// Tensors besides the weights and the optimizer's that decide the continuation, by name (the
    /// whole batch's, gathered from every rank: every rank reads it when a checkpoint is written).
    var carriedState: [(name: String, tensor: Tensor)] { get }
    /// Restores `carriedState` from a checkpoint (`file` for errors).
    func restoreCarriedState(_ tensors: [String: Tensor], file: String) throws
}

extension TrainingTask {
    public func startEpoch(_ epoch: Int, learningRate: inout Float) {}
    public func finishStep() {}
    public func finishEpoch(validationLoss: Double, learningRate: inout Float) {}
    public var carriedState: [(name: String, tensor: Tensor)] { [] }
    public func restoreCarriedState(_ tensors: [String: Tensor], file: String) throws {}
}

/// A snapshot for a progress line.
public struct TrainingProgress: Sendable {
    public var epoch: Int, epochs: Int
    /// Batches done in this epoch, and per epoch.
    public var batch: Int, batches: Int
    public var step: Int
    /// Mean training loss per token over the epoch so far.
    public var loss: Double
    public var tokensPerSecond: Double
    /// Estimated training seconds left in the run (evaluations excluded).
    public var secondsLeft: Double
}
