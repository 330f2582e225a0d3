import Foundation
import NeuralCore
import TextProcessing

/// The perplexity of a model on a token stream.
public struct PerplexityResult: Codable, Equatable, Sendable {
    /// exp of `loss`.
    public var perplexity: Double
    /// Mean negative log-likelihood per predicted token (nats).
    public var loss: Double
    /// Number of tokens predicted.
    public var tokens: Int
    /// For a subword model: the perplexity per word, exp(loss × pieces / words) with `<eos>`
    /// counted as a word and as a piece (with batch size 1 about exp of the summed log-likelihood of
    /// every word's pieces over the number of words, as a word model's perplexity is).
    public var perWordPerplexity: Double?
    /// For a subword model: words in the text, `<eos>` included.
    public var words: Int?

    /// Records the word count of a subword stream of `pieces` ids (pieces and `<eos>`).
    public mutating func setWords(_ words: Int, pieces: Int) {
        self.words = words
        perWordPerplexity = Foundation.exp(loss * Double(pieces) / Double(max(words, 1)))
    }

    public init(negativeLogLikelihood: Double, tokens: Int) {
        self.tokens = tokens
        loss = tokens > 0 ? negativeLogLikelihood / Double(tokens) : .nan
        perplexity = Foundation.exp(loss)
    }
}

extension RNNLanguageModel {
    /// Perplexity of `stream` cut into `batchSize` columns read `bptt` steps at a time, with the
    /// hidden state carried from chunk to chunk (no dropout).
    ///
    /// With `batchSize` 1 the whole stream is one column: the result is exp of the mean negative
    /// log-likelihood of every token after the first — the exact stream perplexity, which does not
    /// depend on `bptt`. With B > 1 each column starts from a zero state and the last
    /// `count mod B` tokens are dropped, as word_language_model's evaluation does.
    ///
    /// - Parameter progress: called after each chunk with (chunks done, chunk count).
    public func perplexity(of stream: [Int32], batchSize: Int = 1, bptt: Int = 35,
                           workspace: LanguageModelWorkspace = LanguageModelWorkspace(),
                           progress: ((Int, Int) -> Void)? = nil) -> PerplexityResult {
        let batches = LanguageModelBatches(stream: stream, batchSize: batchSize, bptt: bptt)
        var state = zeroState(batch: batchSize)
        var total = 0.0
        for index in 0..<batches.count {
            let (nll, final) = negativeLogLikelihood(batches.chunk(index), state: state, workspace: workspace)
            total += nll
            state = final
            progress?(index + 1, batches.count)
        }
        return PerplexityResult(negativeLogLikelihood: total, tokens: batches.tokenCount)
    }
}
