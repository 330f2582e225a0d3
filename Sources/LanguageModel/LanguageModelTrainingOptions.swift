import Foundation
import NeuralCore

/// The optimizer a language model trains with.
public enum LanguageModelOptimizer: String, Codable, Sendable, CaseIterable {
    /// Plain SGD, w −= lr · g (Zaremba et al.: lr 1 with the loss summed over the T steps).
    case sgd
    /// Adam with PyTorch's defaults (β 0.9, 0.999, ε 1e-8).
    case adam
}

/// When the learning rate is multiplied by `learningRateDecay`.
public enum LearningRateSchedule: String, Codable, Sendable, CaseIterable {
    /// After every epoch past `decayAfter` (Zaremba et al.: ×0.5 after epoch 4 for the small model).
    case fixed
    /// After every epoch whose validation perplexity is not below the best so far
    /// (word_language_model divides by 4).
    case plateau
}

/// Everything `glossa lm train` decides: architecture, data layout, optimization, stopping. The
/// defaults are the small configuration of Zaremba et al. (2014): a 2-layer LSTM with 200 units, no
/// dropout, SGD at learning rate 1 halved after every epoch past the 4th, 13 epochs, BPTT 20,
/// batch 20, gradient norm clipped at 5, every weight uniform in ±0.1.
public struct LanguageModelTrainingOptions: Codable, Equatable, Sendable {
    public var cell: RecurrentCell = .lstm
    public var layers = 2
    /// E.
    public var embeddingSize = 200
    /// H.
    public var hiddenSize = 200
    public var tieWeights = false
    /// T, steps of truncated backpropagation through time.
    public var bptt = 20
    /// B, the number of columns the training stream is cut into.
    public var batchSize = 20
    /// Dropout on the embeddings, between layers and before the decoder.
    public var dropout: Float = 0
    public var optimizer: LanguageModelOptimizer = .sgd
    public var learningRate: Float = 1
    public var learningRateDecay: Float = 0.5
    /// Epochs at the full learning rate before the fixed schedule starts decaying it.
    public var decayAfter = 4
    public var schedule: LearningRateSchedule = .fixed
    /// Largest global gradient norm (0: no clipping).
    public var clip: Float = 5
    /// λ of the weight decay λ·‖W‖² added to the objective (biases excluded).
    public var l2: Float = 0
    public var epochs = 13
    /// Stop when validation perplexity has failed to improve on the best more than this many
    /// evaluations in a row (nil: never stop early).
    public var patience: Int? = nil
    /// Stop after this many optimizer steps in all (nil: no limit).
    public var maxSteps: Int? = nil
    public var seed: UInt64 = 1
    /// Every weight uniform in ±initRange; nil for word_language_model's initialization.
    public var initRange: Float? = 0.1
    /// Steps per chunk when measuring perplexity (batch size 1; the result does not depend on it).
    public var evalBptt = 35

    public init() {}

    /// The first option that makes no sense, as a message naming it, or nil.
    public var problem: String? {
        if layers < 1 { return "--layers must be at least 1" }
        if embeddingSize < 1 || hiddenSize < 1 { return "--embed and --hidden must be at least 1" }
        if tieWeights && embeddingSize != hiddenSize {
            return "--tie-weights needs --embed equal to --hidden (\(embeddingSize) ≠ \(hiddenSize))"
        }
        if bptt < 1 { return "--bptt must be at least 1" }
        if batchSize < 1 { return "--batch-size must be at least 1" }
        if !(dropout >= 0 && dropout < 1) { return "--dropout must be in [0, 1)" }
        if !(learningRate > 0) || !learningRate.isFinite { return "--lr must be a positive number" }
        if !(learningRateDecay > 0 && learningRateDecay <= 1) { return "--lr-decay must be in (0, 1]" }
        if decayAfter < 0 { return "--decay-after must not be negative" }
        if !(clip >= 0) || !clip.isFinite { return "--clip must be 0 (off) or positive" }
        if !(l2 >= 0) || !l2.isFinite { return "--l2 must not be negative" }
        if epochs < 1 { return "--epochs must be at least 1" }
        if let patience, patience < 0 { return "--patience must not be negative" }
        if let maxSteps, maxSteps < 1 { return "--max-steps must be at least 1" }
        if let initRange, !(initRange > 0) || !initRange.isFinite { return "--init must be positive" }
        if evalBptt < 1 { return "--eval-bptt must be at least 1" }
        return nil
    }

    /// The learning rate of `epoch` (from 1) under the fixed schedule.
    public func fixedLearningRate(epoch: Int) -> Float {
        learningRate * Float(Foundation.pow(Double(learningRateDecay), Double(max(epoch - decayAfter, 0))))
    }
}
