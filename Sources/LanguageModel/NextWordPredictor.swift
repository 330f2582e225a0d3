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
    /// Cuts tokens into subword pieces (a model trained with `--bpe`); nil for a word model.
    public let segmenter: BPESegmenter?
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
        let vocabulary = self.vocabulary, settings = model.config.tokenizer
        segmenter = try model.config.bpeCodes.map {
            BPESegmenter(codes: try BPECodes(contentsOf: folder + "/" + $0), settings: settings, vocabulary: vocabulary)
        }
    }

    /// The ids a prompt is read as: `<eos>`, then its tokens (their pieces for a subword model).
    public func promptIDs(_ prompt: String) -> [Int32] {
        guard let segmenter else { return [vocabulary.eosID] + tokenizer.ids(prompt, vocabulary: vocabulary) }
        return [vocabulary.eosID] + vocabulary.encode(segmenter.pieces(ofTokens: tokenizer.tokens(prompt)))
    }

    /// The `topK` most likely next tokens after `prompt`, most likely first, with their
    /// probabilities. `<pad>` and `<bos>` are never candidates.
    public func predict(_ prompt: String, topK: Int = 10) -> [(token: String, probability: Double)] {
        if segmenter != nil { return predictWords(prompt, topK: topK) }
        let (logProbs, _) = model.nextLogProbabilities(after: promptIDs(prompt), state: model.zeroState(batch: 1),
                                                       workspace: workspace)
        let ranked = Self.ranked(logProbs, excluding: [vocabulary.padID, vocabulary.bosID])
        return ranked.prefix(max(topK, 0)).map { (vocabulary.tokens[$0], Foundation.exp(Double(logProbs[$0]))) }
    }

    /// The `topK` most likely next whole words of a subword model: pieces are extended by a beam of
    /// `beam` hypotheses (at most `maxPieces` pieces) until a piece ends a word; the probabilities of
    /// piece sequences that spell the same word add up. `<eos>` competes as a word.
    func predictWords(_ prompt: String, topK: Int, maxPieces: Int = 8) -> [(token: String, probability: Double)] {
        struct Hypothesis { var pieces: [String]; var logProbability: Double; var next: [Float]; var state: RecurrentState }
        let beam = max(2 * topK, 8)
        let separator = segmenter?.separator ?? "@@"
        let (first, state) = model.nextLogProbabilities(after: promptIDs(prompt), state: model.zeroState(batch: 1), workspace: workspace)
        var frontier = [Hypothesis(pieces: [], logProbability: 0, next: first, state: state)]
        var words: [String: Double] = [:]
        let banned: Set<Int32> = [vocabulary.padID, vocabulary.bosID]
        for depth in 0..<maxPieces where !frontier.isEmpty {
            var continuing: [(hypothesis: Int, id: Int32, logProbability: Double)] = []
            for (h, hypothesis) in frontier.enumerated() {
                for id in Self.ranked(hypothesis.next, excluding: banned).prefix(beam) {
                    let logProbability = hypothesis.logProbability + Double(hypothesis.next[id])
                    let piece = vocabulary.tokens[id]
                    if Int32(id) == vocabulary.eosID {
                        if depth == 0 { words[piece, default: 0] += Foundation.exp(logProbability) }
                    } else if BPEPieces.continues(piece, separator: separator) {
                        continuing.append((h, Int32(id), logProbability))
                    } else {
                        let word = BPEPieces.words(hypothesis.pieces + [piece], separator: separator).joined()
                        words[word, default: 0] += Foundation.exp(logProbability)
                    }
                }
            }
            // Stop when no open hypothesis can still beat the topK-th word found.
            let found = words.values.sorted(by: >)
            continuing.sort { $0.logProbability > $1.logProbability }
            continuing = Array(continuing.prefix(beam))
            if found.count >= topK, let open = continuing.first, Foundation.exp(open.logProbability) < found[topK - 1] { break }
            frontier = continuing.map { c in
                let parent = frontier[c.hypothesis]
                let (next, state) = model.nextLogProbabilities(after: [c.id], state: parent.state, workspace: workspace)
                return Hypothesis(pieces: parent.pieces + [vocabulary.token(c.id)], logProbability: c.logProbability, next: next, state: state)
            }
        }
        return words.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(max(topK, 0)).map { ($0.key, $0.value) }
    }

    /// Continues `prompt` one sampled token at a time until `<eos>` or `maxTokens` tokens; returns
    /// the new tokens. A subword model samples pieces and returns whole words: `maxTokens` words,
    /// the last one finished. Each token is drawn from softmax(logits / temperature) restricted to the
    /// `topK` most likely (nil: all); temperature 0 takes the most likely. `<pad>`, `<bos>` and
    /// `<unk>` are never drawn. The same seed gives the same text.
    public func generate(prompt: String, maxTokens: Int = 50, temperature: Double = 1, topK: Int? = nil,
                         seed: UInt64 = 1) -> [String] {
        var rng = SplitMix64(seed: seed)
        var state = model.zeroState(batch: 1)
        var input = promptIDs(prompt)
        var output: [String] = []
        let banned: Set<Int32> = [vocabulary.padID, vocabulary.bosID, vocabulary.unkID]
        let separator = segmenter?.separator
        var words = 0, open = false
        while words < maxTokens || open, output.count < maxTokens * 20 {
            let (logProbs, final) = model.nextLogProbabilities(after: input, state: state, workspace: workspace)
            state = final
            let next = Self.sample(logProbs, temperature: temperature, topK: topK, banned: banned, rng: &rng)
            if next == vocabulary.eosID { break }
            let token = vocabulary.token(next)
            output.append(token)
            open = separator.map { BPEPieces.continues(token, separator: $0) } ?? false
            if !open { words += 1 }
            input = [next]
        }
        return separator.map { BPEPieces.words(output, separator: $0) } ?? output
    }

    /// The ids of log-probabilities (V) not in `banned`, most likely first (the lower id on ties).
    static func ranked(_ logProbs: [Float], excluding banned: Set<Int32>) -> [Int] {
        logProbs.indices.filter { !banned.contains(Int32($0)) }.sorted { logProbs[$0] != logProbs[$1] ? logProbs[$0] > logProbs[$1] : $0 < $1 }
    }

    /// Draws an id from log-probabilities (V): the `topK` best not in `banned`, reweighted by
    /// exp(logp / temperature); temperature 0 gives the argmax.
    static func sample(_ logProbs: [Float], temperature: Double, topK: Int?, banned: Set<Int32>,
                       rng: inout SplitMix64) -> Int32 {
        var candidates = ranked(logProbs, excluding: banned)
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
        let stream = try TokenStream(path: file, tokenizer: tokenizer, vocabulary: vocabulary, segmenter: segmenter)
        try stream.requireKnownTokens(vocabulary, hint: "is it the model's language and tokenizer?")
        let columns = stream.count / batchSize
        if columns < 2 {
            throw InputError("\(stream.count) tokens are too few for --batch-size \(batchSize); use --batch-size 1", file: stream.source)
        }
        var result = model.perplexity(of: stream.ids, batchSize: batchSize, bptt: bptt, workspace: workspace)
        if let words = stream.words { result.setWords(words + stream.lines, pieces: stream.count) }
        return result
    }
}
