import NeuralCore

/// Where one decoder step reads and writes, for B rows (time-major slices of a training batch, or
/// a decoding call's own buffers).
struct DecoderStepBuffers {
    /// (B, E + H): the caller fills embed(y_{t−1}) into each row's first E; the step writes c_t after it.
    let input: UnsafeMutablePointer<Float>
    /// (B, H) c_t.
    let context: UnsafeMutablePointer<Float>
    /// (B, S) a_t.
    let weights: UnsafeMutablePointer<Float>
    /// Per layer (B, H): z_t^l (the top one is z_t).
    let outputs: [UnsafeMutablePointer<Float>]
}

extension Translator {
    /// The decoder step (JoeyNMT's `_forward_step`; docs/DESIGN.md, "Translator"), the one that
    /// training unrolls over the target (`teacherForced`) and greedy and beam search call one step at
    /// a time (`step`): attend with the top layer's z_{t−1} over the source states, c_t = Σ_j a_tj h_j,
    /// then run each layer on [embed(y_{t−1}); c_t] (layer 0) or the layer below's z_t. Updates
    /// `state` (h, and c for LSTM, per layer) to z_t. `caches` (one per layer) keep what backward needs.
    func decoderStep(_ io: DecoderStepBuffers, state: inout DecoderState, source: EncodedSource,
                     caches: [RecurrentLayerCache]) {
        let a = architecture, B = source.batch, S = source.sourceLength
        let E = a.embeddingSize, H = a.hiddenSize, L = a.numLayers, EH = E + H
        let lstm = a.cell.hasCellState
        precondition(caches.count >= L && io.outputs.count == L)
        state.hidden[L - 1].withUnsafeBufferPointer { z in
        source.states.withUnsafeBufferPointer { states in
        source.mask.withUnsafeBufferPointer { mask in
            DotProductAttention.forward(context: io.context, weights: io.weights, query: z.baseAddress!,
                                        states: states.baseAddress!, mask: mask.baseAddress!, batch: B, sourceLength: S, hidden: H)
        }}}
        for b in 0..<B { (io.input + b * EH + E).update(from: io.context + b * H, count: H) }
        var newH = [Float](repeating: 0, count: B * H), newC = [Float](repeating: 0, count: lstm ? B * H : 0)
        for l in 0..<L {
            let x: UnsafePointer<Float> = l == 0 ? UnsafePointer(io.input) : UnsafePointer(io.outputs[l - 1])
            state.hidden[l].withUnsafeBufferPointer { h0 in
            (state.cells?[l] ?? []).withUnsafeBufferPointer { c0 in
            newH.withUnsafeMutableBufferPointer { hN in
            newC.withUnsafeMutableBufferPointer { cN in
                decoderLayers[l].forward(x: x, steps: 1, batch: B, lengths: nil, h0: h0.baseAddress!,
                                         c0: lstm ? c0.baseAddress! : nil, y: io.outputs[l], ldy: H,
                                         hN: hN.baseAddress!, cN: lstm ? cN.baseAddress! : nil, cache: caches[l])
            }}}}
            swap(&state.hidden[l], &newH)
            if lstm { swap(&state.cells![l], &newC) }
        }
    }
}
