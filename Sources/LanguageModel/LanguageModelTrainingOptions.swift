import Foundation
import NeuralCore

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
public struct LanguageModelTrainingOptions: TrainerOptions, Equatable, Sendable {
    public var cell: RecurrentCell = .lstm
    public var layers = 2
    /// E.
    public var embeddingSize = 200
    /// H.
    public var hiddenSize = 200
    public var tieWeights = false
    /// Variational (locked) dropout: one mask per column and site for a whole chunk (`--variational-dropout`).
    public var variationalDropout: Bool {
        get { lockedDropout ?? false }
        set { lockedDropout = newValue }
    }
    /// Stored as an optional so that checkpoints written before the option existed still decode.
    var lockedDropout: Bool?
    /// T, steps of truncated backpropagation through time.
    public var bptt = 20
    /// The loop's settings; `batchSize` is B, the number of columns the training stream is cut into,
    /// and dropout sits on the embeddings, between layers and before the decoder.
    public var training = TrainingSettings(epochs: 13, batchSize: 20, optimizer: .sgd, learningRate: 1, clip: 5, dropout: 0)
    public var learningRateDecay: Float = 0.5
    /// Epochs at the full learning rate before the fixed schedule starts decaying it.
    public var decayAfter = 4
    public var schedule: LearningRateSchedule = .fixed
    /// Every weight uniform in ±initRange; nil for word_language_model's initialization.
    public var initRange: Float? = 0.1
    /// Steps per chunk when measuring perplexity (batch size 1; the result does not depend on it).
    public var evalBptt = 35
    /// Subword pieces: byte-pair encoding merges learned on the training file's tokens (`--bpe`);
    /// nil for a word model.
    public var bpeMerges: Int?

    public init() {}

    /// The learning rate an optimizer starts from unless `--lr` says otherwise (1 for SGD with the
    /// loss summed over the BPTT steps, as Zaremba et al.; 0.001 for Adam, PyTorch's default).
    public static func defaultLearningRate(_ optimizer: OptimizerKind) -> Float {
        optimizer == .sgd ? 1 : 0.001
    }

    /// The first option that makes no sense, as a message naming it, or nil.
    public var problem: String? {
        if layers < 1 { return "--layers must be at least 1" }
        if embeddingSize < 1 || hiddenSize < 1 { return "--embed and --hidden must be at least 1" }
        if tieWeights && embeddingSize != hiddenSize {
            return "--tie-weights needs --embed equal to --hidden (\(embeddingSize) ≠ \(hiddenSize))"
        }
        if bptt < 1 { return "--bptt must be at least 1" }
        if variationalDropout && !(training.dropout > 0) { return "--variational-dropout needs --dropout above 0" }
        if let problem = training.problem { return problem }
        if !(learningRateDecay > 0 && learningRateDecay <= 1) { return "--lr-decay must be in (0, 1]" }
        if decayAfter < 0 { return "--decay-after must not be negative" }
        if let initRange, !(initRange > 0) || !initRange.isFinite { return "--init must be positive" }
        if evalBptt < 1 { return "--eval-bptt must be at least 1" }
        if let bpeMerges, bpeMerges < 1 { return "--bpe must be at least 1" }
        return nil
    }

    /// Every setting as flag → value (the resume contract compares these).
    public var flags: [String: String] {
        training.flags.merging([
            "--cell": cell.rawValue, "--layers": String(layers), "--embed": String(embeddingSize), "--hidden": String(hiddenSize),
            "--tie-weights": String(tieWeights), "--variational-dropout": String(variationalDropout),
            "--bptt": String(bptt), "--lr-decay": "\(learningRateDecay)",
            "--decay-after": String(decayAfter), "--lr-schedule": schedule.rawValue, "--init": initRange.map { "\($0)" } ?? "default",
            "--eval-bptt": String(evalBptt), "--bpe": bpeMerges.map(String.init) ?? "none",
        ]) { $1 }
    }

    /// The learning rate of `epoch` (from 1) under the fixed schedule.
    public func fixedLearningRate(epoch: Int) -> Float {
        training.learningRate * Float(Foundation.pow(Double(learningRateDecay), Double(max(epoch - decayAfter, 0))))
    }
}
