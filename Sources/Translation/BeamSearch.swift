import Foundation
import NeuralCore

extension Translator {
    /// Beam search for one source sentence (ids without `<eos>`), K hypotheses wide.
    ///
    /// Each step extends every live hypothesis by its best tokens (never `<pad>` or `<bos>`) and keeps
    /// the 2K best extensions by total log-probability: those ending in `<eos>` among the best K are
    /// finished, the best K others stay live. The search ends when K hypotheses are finished, none
    /// is live, or after ⌈r·n⌉ + 5 tokens (live hypotheses then count as finished). The answer is the
    /// finished hypothesis with the best log P / lp, lp = ((5 + |y|) / 6)^α (GNMT's length penalty,
    /// |y| counting `<eos>`; α = 0 compares plain log-probabilities). K = 1 is `greedy` exactly.
    /// `projection` (from `makeOutputProjection`) can be shared by many calls on unchanged weights.
    public func beamSearch(_ source: [Int32], beam K: Int, lengthPenalty alpha: Double = 0,
                           specials: SpecialTokens, projection shared: [Float]? = nil) -> Hypothesis {
        precondition(K >= 1, "beam must be at least 1")
        let sources = SentenceSources([source], pad: specials.pad, eos: specials.eos)
        if K == 1 { return greedy(sources, specials: specials, projection: shared)[0] }
        let encoded = encode(sources)
        let H = architecture.hiddenSize, V = architecture.targetVocabSize
        let limit = architecture.outputLimit(sourceTokens: source.count)
        let caches = makeStepCaches()
        let projection = shared ?? makeOutputProjection()
        func penalty(_ length: Int) -> Double { alpha == 0 ? 1 : pow((5 + Double(length)) / 6, alpha) }

        var live = [Hypothesis(tokens: [], alignment: [])]
        var state = initialState(encoded)
        var finished: [(hypothesis: Hypothesis, score: Double)] = []
        var rows = encoded.gathering([0])
        var previous: [Int32] = [specials.bos]
        for _ in 0..<limit {
            if rows.batch != live.count { rows = encoded.gathering(Array(repeating: 0, count: live.count)) }
            let (logits, weights) = step(previous: previous, state: &state, source: rows, caches: caches, projection: projection)
            let logProbabilities = logSoftmax(logits).data
            // The K best tokens of each live hypothesis, then the 2K best overall.
            var candidates: [(row: Int, token: Int32, score: Double)] = []
            for row in 0..<live.count {
                var best: [(Int32, Float)] = []
                for j in 0..<V where j != Int(specials.pad) && j != Int(specials.bos) {
                    let v = logProbabilities[row * V + j]
                    if best.count < 2 * K || v > best[best.count - 1].1 {
                        let at = best.firstIndex { $0.1 < v } ?? best.count
                        best.insert((Int32(j), v), at: at)
                        if best.count > 2 * K { best.removeLast() }
                    }
                }
                for (token, v) in best { candidates.append((row, token, live[row].logProbability + Double(v))) }
            }
            candidates.sort { $0.score != $1.score ? $0.score > $1.score : ($0.row, $0.token) < ($1.row, $1.token) }
            var nextLive: [Hypothesis] = [], nextRows: [Int] = [], nextTokens: [Int32] = []
            let S = rows.sourceLength, n = source.count + 1
            for (rank, candidate) in candidates.prefix(2 * K).enumerated() {
                var hypothesis = live[candidate.row]
                hypothesis.logProbability = candidate.score
                if candidate.token == specials.eos {
                    if rank < K { finished.append((hypothesis, candidate.score / penalty(hypothesis.tokens.count + 1))) }
                } else if nextLive.count < K {
                    hypothesis.tokens.append(candidate.token)
                    hypothesis.alignment.append(Array(weights[(candidate.row * S)..<(candidate.row * S + n)]))
                    nextLive.append(hypothesis)
                    nextRows.append(candidate.row)
                    nextTokens.append(candidate.token)
                }
            }
            live = nextLive
            if finished.count >= K || live.isEmpty { break }
            state = state.gathering(nextRows, hiddenSize: H)
            previous = nextTokens
        }
        if finished.count < K {
            for hypothesis in live { finished.append((hypothesis, hypothesis.logProbability / penalty(hypothesis.tokens.count))) }
        }
        return finished.max { $0.score < $1.score }!.hypothesis
    }
}
