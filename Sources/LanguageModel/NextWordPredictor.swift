import Foundation
import NeuralCore
import TextProcessing

/// A trained language model ready for use: the model, its vocabulary and its tokenizer, read from a
/// model directory (`config.json`, `model.safetensors`, `vocab.txt`).
///
/// A prompt is read as the start of a line: `<eos>` (the end of the previous line) then the prompt's
/// tokens, from a zero state.
public final class NextWordPredictor {
    public let model: RNNLanguageModel
    public let vocabulary: Vocabulary
    public let tokenizer: Tokenizer
    let workspace = LanguageModelWorkspace()

    /// Loads `folder`; throws `InputError` naming the file when something is missing, is of another
    /// kind, or does not fit (tensor shapes, vocabulary size).
    public init(folder: String) throws {
        model = try RNNLanguageModel.load(from: folder)
        let path = folder + "/vocab.txt"
        guard FileManager.default.fileExists(atPath: path) else { throw InputError("missing vocab.txt", file: folder) }
        vocabulary = try Vocabulary(contentsOf: path)
        guard vocabulary.count == model.config.vocabSize else {
            throw InputError("has \(vocabulary.count) tokens but config.json says vocab_size \(model.config.vocabSize)", file: path)
        }
        tokenizer = Tokenizer(settings: model.config.tokenizer)
    }

    /// The ids a prompt is read as: `<eos>`, then its tokens.
    public func promptIDs(_ prompt: String) -> [Int32] {
        [vocabulary.eosID] + tokenizer.ids(prompt, vocabulary: vocabulary)
    }

    /// The `topK` most likely next tokens after `prompt`, most likely first, with their
    /// probabilities. `<pad>` and `<bos>` are never candidates.
    public func predict(_ prompt: String, topK: Int = 10) -> [(token: String, probability: Double)] {
        let (logProbs, _) = model.nextLogProbabilities(after: promptIDs(prompt), state: model.zeroState(batch: 1),
                                                       workspace: workspace)
        let banned: Set<Int32> = [vocabulary.padID, vocabulary.bosID]
        let ranked = logProbs.indices.filter { !banned.contains(Int32($0)) }
            .sorted { logProbs[$0] != logProbs[$1] ? logProbs[$0] > logProbs[$1] : $0 < $1 }
        return ranked.prefix(max(topK, 0)).map { (vocabulary.tokens[$0], Foundation.exp(Double(logProbs[$0]))) }
    }

    /// Continues `prompt` one sampled token at a time until `<eos>` or `maxTokens` tokens; returns
    /// the new tokens. Each token is drawn from softmax(logits / temperature) restricted to the
    /// `topK` most likely (nil: all); temperature 0 takes the most likely. `<pad>`, `<bos>` and
    /// `<unk>` are never drawn. The same seed gives the same text.
    public func generate(prompt: String, maxTokens: Int = 50, temperature: Double = 1, topK: Int? = nil,
                         seed: UInt64 = 1) -> [String] {
        var rng = SplitMix64(seed: seed)
        var state = model.zeroState(batch: 1)
        var input = promptIDs(prompt)
        var output: [String] = []
        let banned: Set<Int32> = [vocabulary.padID, vocabulary.bosID, vocabulary.unkID]
        while output.count < maxTokens {
            let (logProbs, final) = model.nextLogProbabilities(after: input, state: state, workspace: workspace)
            state = final
            let next = Self.sample(logProbs, temperature: temperature, topK: topK, banned: banned, rng: &rng)
            if next == vocabulary.eosID { break }
            output.append(vocabulary.token(next))
            input = [next]
        }
        return output
    }

    /// Draws an id from log-probabilities (V): the `topK` best not in `banned`, reweighted by
    /// exp(logp / temperature); temperature 0 gives the argmax.
    static func sample(_ logProbs: [Float], temperature: Double, topK: Int?, banned: Set<Int32>,
                       rng: inout SplitMix64) -> Int32 {
        var candidates = logProbs.indices.filter { !banned.contains(Int32($0)) }
        candidates.sort { logProbs[$0] != logProbs[$1] ? logProbs[$0] > logProbs[$1] : $0 < $1 }
        if let topK { candidates = Array(candidates.prefix(max(topK, 1))) }
        guard temperature > 0, candidates.count > 1 else { return Int32(candidates[0]) }
        let top = Double(logProbs[candidates[0]])
        let weights = candidates.map { Foundation.exp((Double(logProbs[$0]) - top) / temperature) }
        var u = Double(rng.next() >> 11) * (1.0 / 9_007_199_254_740_992.0) * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return Int32(candidates[i]) }
        }
        return Int32(candidates[candidates.count - 1])
    }

    /// Perplexity of a text file read as one stream (each line's tokens, then `<eos>`); with
    /// `batchSize` 1 the exact stream perplexity. Throws `InputError` for a missing, empty or
    /// unreadable file, or one with no word the vocabulary knows.
    public func perplexity(file: String, batchSize: Int = 1, bptt: Int = 35) throws -> PerplexityResult {
        let stream = try TokenStream(path: file, tokenizer: tokenizer, vocabulary: vocabulary)
        if stream.count == stream.lines { throw InputError("the file has no tokens", file: stream.source) }
        if stream.knownCount(vocabulary) == 0 {
            throw InputError("the file has no word the vocabulary knows (every token would be <unk>); is it the model's language and tokenizer?",
                             file: stream.source)
        }
        let columns = stream.count / batchSize
        if columns < 2 {
            throw InputError("\(stream.count) tokens are too few for --batch-size \(batchSize); use --batch-size 1", file: stream.source)
        }
        return model.perplexity(of: stream.ids, batchSize: batchSize, bptt: bptt, workspace: workspace)
    }
}
