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

/// The gradients one decoder step's backward reads and writes, for B rows.
struct DecoderStepGradients {
    /// (B, H) dL/dz_t^top through what the step's outputs fed (the output layer), read.
    let output: UnsafePointer<Float>
    /// (B, H) dL/dc_t through the output layer, read.
    let context: UnsafePointer<Float>
    /// (B, E) dL/d embed(y_{t−1}), written.
    let embedded: UnsafeMutablePointer<Float>
    /// (B, S, H) dL/dh_j, the encoder states: added into (every step of a sequence adds).
    let states: UnsafeMutablePointer<Float>
}

extension Translator {
    /// The decoder step (JoeyNMT's `_forward_step`; docs/DESIGN.md, "Translator"), the one that
    /// training unrolls over the target (`teacherForced`) and greedy and beam search call one step at
    /// a time (`step`): attend with the top layer's z_{t−1} over the source states, c_t = Σ_j a_tj h_j,
    /// then run each layer on [embed(y_{t−1}); c_t] (layer 0) or the layer below's z_t. Updates
    /// `state` (h, and c for LSTM, per layer) to z_t. `caches` (one per layer) keep what
    /// `decoderStepBackward` needs.
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

    /// The backward of `decoderStep`, the one training's backward (`backward(_:workspace:)`) calls
    /// per step from the last to the first. `dState` holds dL/d(the state after the step) per layer
    /// (h, and c for LSTM; the shapes of `DecoderState`) and becomes dL/d(the state before it), the
    /// attention query's share included. `query` is the z_{t−1}^top the step attended with,
    /// `weights` (B, S) its a_t, `caches` its layer caches. Adds into the decoder's parameter
    /// gradients.
    func decoderStepBackward(_ d: DecoderStepGradients, state dState: inout DecoderState, query: UnsafePointer<Float>,
                             weights: UnsafePointer<Float>, source: EncodedSource, caches: [RecurrentLayerCache]) {
        let a = architecture, B = source.batch, S = source.sourceLength
        let E = a.embeddingSize, H = a.hiddenSize, L = a.numLayers, EH = E + H
        let lstm = a.cell.hasCellState
        precondition(caches.count >= L)
        // Down the layers: dAbove is dL/d(layer l's output), at the end dL/d[embed(y_{t−1}); c_t].
        var dAbove = Array(UnsafeBufferPointer(start: d.output, count: B * H))
        var dh0 = [Float](repeating: 0, count: B * H), dc0 = [Float](repeating: 0, count: lstm ? B * H : 0)
        for l in stride(from: L - 1, through: 0, by: -1) {
            var dIn = [Float](repeating: 0, count: B * (l == 0 ? EH : H))
            dAbove.withUnsafeBufferPointer { dy in
            dIn.withUnsafeMutableBufferPointer { dx in
            dh0.withUnsafeMutableBufferPointer { dh in
            dc0.withUnsafeMutableBufferPointer { dc in
            (dState.cells?[l] ?? []).withUnsafeBufferPointer { dcN in
            dState.hidden[l].withUnsafeBufferPointer { dhN in
                decoderLayers[l].backward(dy: dy.baseAddress!, ldy: H, dhN: dhN.baseAddress!, dcN: lstm ? dcN.baseAddress! : nil,
                                          cache: caches[l], dx: dx.baseAddress!, accumulate: false,
                                          dh0: dh.baseAddress!, dc0: lstm ? dc.baseAddress! : nil)
            }}}}}}
            swap(&dState.hidden[l], &dh0)
            if lstm { swap(&dState.cells![l], &dc0) }
            dAbove = dIn
        }
        // c_t fed both the RNN input and the output layer; it came from attention with query z_{t−1}^top.
        var dContext = [Float](repeating: 0, count: B * H)
        for b in 0..<B {
            for j in 0..<E { d.embedded[b * E + j] = dAbove[b * EH + j] }
            for j in 0..<H { dContext[b * H + j] = dAbove[b * EH + E + j] + d.context[b * H + j] }
        }
        dState.hidden[L - 1].withUnsafeMutableBufferPointer { dz in
        dContext.withUnsafeBufferPointer { dc in
        source.states.withUnsafeBufferPointer { states in
            DotProductAttention.backward(dQuery: dz.baseAddress!, dStates: d.states, dContext: dc.baseAddress!, dWeights: nil,
                                         query: query, states: states.baseAddress!, weights: weights,
                                         batch: B, sourceLength: S, hidden: H)
        }}}
    }
}
