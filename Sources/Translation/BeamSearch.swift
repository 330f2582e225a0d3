import Foundation
import NeuralCore

extension Translator {
    /// Beam search for one source sentence (ids without `<eos>`), K hypotheses wide; see the batched
    /// form below for the rule.
    public func beamSearch(_ source: [Int32], beam K: Int, lengthPenalty alpha: Double = 0,
                           specials: SpecialTokens, plan: DecodingPlan? = nil) -> Hypothesis {
        beamSearch([source], beam: K, lengthPenalty: alpha, specials: specials, plan: plan)[0]
    }

    /// Beam search for a batch of source sentences (ids without `<eos>`), K hypotheses wide each.
    ///
    /// Each step extends every live hypothesis by its best tokens (never `<pad>` or `<bos>`) and keeps
    /// the 2K best extensions by total log-probability: those ending in `<eos>` among the best K are
    /// finished, the best K others stay live. A sentence's search ends when K hypotheses are finished,
    /// none is live, or after ⌈r·n⌉ + 5 tokens (live hypotheses then count as finished). The answer is
    /// the finished hypothesis with the best log P / lp, lp = ((5 + |y|) / 6)^α (GNMT's length penalty,
    /// |y| counting `<eos>`; α = 0 compares plain log-probabilities). K = 1 is `greedy` exactly.
    /// The live hypotheses of every sentence are the rows of one decoder step (sentence-major), so a
    /// batch costs one (rows, 2H)·(2H, Vt) product per step instead of one per sentence; each
    /// sentence's answer is the one it gets alone. Calls on unchanged weights can share one `plan`
    /// (`makeDecodingPlan`); without one, the call makes its own.
    public func beamSearch(_ sources: [[Int32]], beam K: Int, lengthPenalty alpha: Double = 0,
                           specials: SpecialTokens, plan shared: DecodingPlan? = nil) -> [Hypothesis] {
        precondition(K >= 1, "beam must be at least 1")
        let batch = SentenceSources(sources, pad: specials.pad, eos: specials.eos)
        if K == 1 { return greedy(batch, specials: specials, plan: shared) }
        let encoded = encode(batch)
        let H = architecture.hiddenSize, V = architecture.targetVocabSize
        let plan = shared ?? makeDecodingPlan()
        func penalty(_ length: Int) -> Double { alpha == 0 ? 1 : pow((5 + Double(length)) / 6, alpha) }

        /// One sentence's search: its live hypotheses (one decoder row each) and finished ones.
        struct Search {
            var live = [Hypothesis(tokens: [], alignment: [])]
            var finished: [(hypothesis: Hypothesis, score: Double)] = []
            var limit: Int
            var done = false
        }
        var searches = sources.map { Search(limit: architecture.outputLimit(sourceTokens: $0.count)) }
        var owners = Array(sources.indices)             // the sentence of each decoder row
        var state = initialState(encoded)
        var rows = encoded
        var previous = [Int32](repeating: specials.bos, count: sources.count)
        var t = 0
        while !owners.isEmpty {
            let (logits, weights) = step(previous: previous, state: &state, source: rows, caches: plan.caches, projection: plan.projection)
            let logProbabilities = logSoftmax(logits).data
            let S = rows.sourceLength
            var nextRows: [Int] = [], nextOwners: [Int] = [], nextTokens: [Int32] = []
            var first = 0
            while first < owners.count {
                let s = owners[first]
                let count = searches[s].live.count
                // The 2K best tokens of each live hypothesis, then the 2K best overall.
                var candidates: [(row: Int, token: Int32, score: Double)] = []
                for row in first..<(first + count) {
                    var best: [(Int32, Float)] = []
                    for j in 0..<V where j != Int(specials.pad) && j != Int(specials.bos) {
                        let v = logProbabilities[row * V + j]
                        if best.count < 2 * K || v > best[best.count - 1].1 {
                            let at = best.firstIndex { $0.1 < v } ?? best.count
                            best.insert((Int32(j), v), at: at)
                            if best.count > 2 * K { best.removeLast() }
                        }
                    }
                    let hypothesis = searches[s].live[row - first]
                    for (token, v) in best { candidates.append((row, token, hypothesis.logProbability + Double(v))) }
                }
                candidates.sort { $0.score != $1.score ? $0.score > $1.score : ($0.row, $0.token) < ($1.row, $1.token) }
                var nextLive: [Hypothesis] = []
                let n = sources[s].count + 1
                for (rank, candidate) in candidates.prefix(2 * K).enumerated() {
                    var hypothesis = searches[s].live[candidate.row - first]
                    hypothesis.logProbability = candidate.score
                    if candidate.token == specials.eos {
                        if rank < K { searches[s].finished.append((hypothesis, candidate.score / penalty(hypothesis.tokens.count + 1))) }
                    } else if nextLive.count < K {
                        hypothesis.tokens.append(candidate.token)
                        hypothesis.alignment.append(Array(weights[(candidate.row * S)..<(candidate.row * S + n)]))
                        nextLive.append(hypothesis)
                        nextRows.append(candidate.row)
                        nextTokens.append(candidate.token)
                    }
                }
                searches[s].live = nextLive
                if searches[s].finished.count >= K || nextLive.isEmpty || t + 1 >= searches[s].limit {
                    searches[s].done = true
                    nextRows.removeLast(nextLive.count)
                    nextTokens.removeLast(nextLive.count)
                } else {
                    nextOwners += Array(repeating: s, count: nextLive.count)
                }
                first += count
            }
            t += 1
            if nextOwners.isEmpty { break }
            state = state.gathering(nextRows, hiddenSize: H)
            if nextOwners != owners { rows = encoded.gathering(nextOwners) }  // same sentences, same rows: keep them
            owners = nextOwners
            previous = nextTokens
        }
        return searches.map { search in
            var finished = search.finished
            if finished.count < K {
                for hypothesis in search.live { finished.append((hypothesis, hypothesis.logProbability / penalty(hypothesis.tokens.count))) }
            }
            return finished.max { $0.score < $1.score }!.hypothesis
        }
    }
}
