import Foundation

/// One line of `metrics.jsonl`, the same schema for every trainer: an evaluation of the model
/// during or after training (a translator adds `bleu`). Keys are the properties in snake case.
///
/// ```json
/// {"split":"valid","epoch":1,"step":2323,"learning_rate":1,"train_loss":5.07,"train_perplexity":159.8,
///  "loss":4.94,"perplexity":139.5,"tokens":73760,"best":true,"tokens_per_second":15890,
///  "epoch_seconds":58.5,"elapsed_seconds":62.1}
/// ```
public struct EvaluationRecord: Codable, Equatable, Sendable {
    /// What was evaluated (the JSON strings "train", "valid", "test").
    public enum Split: String, Codable, Sendable {
        /// The training loss, for a run without validation data.
        case train
        /// The validation data, after an epoch or where training stopped.
        case valid
        /// The test data, with the best model, at the end.
        case test
    }

    public var split: Split
    /// Epochs done when evaluated, fractional when training stopped inside an epoch.
    public var epoch: Double
    /// Optimizer steps done.
    public var step: Int
    public var learningRate: Double?
    /// Mean training loss per token over the epoch (its part so far), and its exp.
    public var trainLoss: Double?
    public var trainPerplexity: Double?
    /// Mean negative log-likelihood per token of the evaluated split, and its exp.
    public var loss: Double
    public var perplexity: Double
    /// Tokens predicted in the evaluated split.
    public var tokens: Int
    /// Corpus BLEU of greedy translations of the validation sources (translators only).
    public var bleu: Double?
    /// True when training stopped inside an epoch (`--max-steps`); such evaluations keep the best
    /// model but do not drive the learning-rate schedule or early stopping.
    public var partial: Bool?
    /// Whether this is the best validation perplexity so far (the model then written to disk).
    public var best: Bool?
    /// Training tokens per second over the epoch (evaluation excluded).
    public var tokensPerSecond: Double?
    /// Training seconds of the epoch (its part so far).
    public var epochSeconds: Double?
    /// Training seconds since the run began, summed over resumed sessions.
    public var elapsedSeconds: Double?

    /// A record of a mean loss per token over `tokens` tokens (perplexity its exp).
    public init(split: Split, epoch: Double, step: Int, loss: Double, tokens: Int) {
        self.split = split
        self.epoch = epoch
        self.step = step
        self.loss = loss
        perplexity = Foundation.exp(loss)
        self.tokens = tokens
    }

    /// `records` as JSON lines, keys in a fixed order.
    public static func jsonLines(_ records: [EvaluationRecord]) -> String {
        let encoder = JSONEncoder.snakeCase([.sortedKeys, .withoutEscapingSlashes])
        return records.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) + "\n" }.joined()
    }
}

extension JSONEncoder {
    /// An encoder that writes property names in snake case (`learningRate` → `learning_rate`), the
    /// keys of metrics.jsonl and of the training checkpoint's state.
    static func snakeCase(_ formatting: JSONEncoder.OutputFormatting) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = formatting
        return encoder
    }
}
