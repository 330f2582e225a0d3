import NeuralCore

/// One decoded sentence: target ids (without `<eos>`) and, per output token, the attention weights
/// over the source's real positions (including `<eos>`).
public struct Hypothesis: Equatable, Sendable {
    public var tokens: [Int32]
    public var alignment: [[Float]]
    /// Sum of the tokens' log-probabilities (beam search; 0 for greedy).
    public var logProbability: Double = 0
}

extension Translator {
    /// docs/DESIGN.md's greedy rule for a batch: y_t = argmax over every token but `<pad>` and `<bos>`,
    /// stopping at `<eos>` (not returned) or after ⌈r·n⌉ + 5 tokens. Finished sentences leave the
    /// batch, so a batch costs what its longest output costs. Calls on unchanged weights can share
    /// one `plan` (`makeDecodingPlan`); without one, the call makes its own.
    public func greedy(_ sources: SentenceSources, specials: SpecialTokens, plan shared: DecodingPlan? = nil) -> [Hypothesis] {
        var source = encode(sources)
        var state = initialState(source)
        let H = architecture.hiddenSize
        let plan = shared ?? makeDecodingPlan()
        var results = [Hypothesis](repeating: Hypothesis(tokens: [], alignment: []), count: sources.count)
        var active = Array(0..<sources.count)           // original index of each row
        let limits = sources.lengths.map { architecture.outputLimit(sourceTokens: $0 - 1) }
        var previous = [Int32](repeating: specials.bos, count: sources.count)
        while !active.isEmpty {
            let (features, weights) = outputFeatures(previous: previous, state: &state, source: source, caches: plan.caches)
            let tokens = features.withUnsafeBufferPointer {
                plan.outputArgmax.argmax($0.baseAddress!, rows: active.count, excluding: [specials.pad, specials.bos])
            }
            var keep: [Int] = [], next: [Int32] = []
            for (row, original) in active.enumerated() {
                let y = tokens[row]
                if y == specials.eos { continue }
                results[original].tokens.append(y)
                let S = source.sourceLength
                results[original].alignment.append(Array(weights[(row * S)..<(row * S + source.lengths[row])]))
                if results[original].tokens.count >= limits[original] { continue }
                keep.append(row)
                next.append(y)
            }
            if keep.count != active.count {
                source = source.gathering(keep)
                state = state.gathering(keep, hiddenSize: H)
                active = keep.map { active[$0] }
            }
            previous = next
        }
        return results
    }
}
