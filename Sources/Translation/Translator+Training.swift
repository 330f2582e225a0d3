import NeuralCore
import TextProcessing

/// Buffers one training step keeps between forward and backward, reused across batches so that
/// steady-state training allocates little. Shapes: T target length, B batch, S source length,
/// E embedding, H hidden, time-major.
public final class TranslatorWorkspace {
    let encoder: EncoderWorkspace
    let decoderInput = FloatBuffer()            // (T, B, E + H): [embed(y_{t−1}); c_t]
    var layerOutputs: [FloatBuffer]             // per decoder layer (T, B, H); the top one is z_t
    var caches: [[RecurrentLayerCache]]         // [layer][t]
    let contexts = FloatBuffer()                // (T, B, H) c_t
    let weights = FloatBuffer()                 // (T, B, S) a_t

    public init(_ architecture: TranslatorArchitecture) {
        encoder = EncoderWorkspace(architecture)
        layerOutputs = (0..<architecture.numLayers).map { _ in FloatBuffer() }
        caches = (0..<architecture.numLayers).map { _ in [] }
    }

    func ensureSteps(_ T: Int) {
        for l in caches.indices { while caches[l].count < T { caches[l].append(RecurrentLayerCache()) } }
    }
}

extension Translator {
    /// Forward and backward on one batch with teacher forcing: *adds* dL/dθ into the store's
    /// gradients, L the mean cross-entropy over the batch's real target tokens, and returns L and
    /// the number of those tokens. `dropout` (training only) drops embeddings and [z_t; c_t].
    @discardableResult
    public func accumulateGradients(_ batch: SentenceBatch, dropout: Float = 0, rng: inout SplitMix64,
                                    workspace ws: TranslatorWorkspace) -> (loss: Float, tokens: Int) {
        let a = architecture, B = batch.count, S = batch.sourceLength, T = batch.targetLength
        let E = a.embeddingSize, H = a.hiddenSize, L = a.numLayers, V = a.targetVocabSize, EH = E + H
        let lstm = a.cell.hasCellState
        ws.ensureSteps(T)
        let source = encode(SentenceSources(batch), dropout: dropout, rng: &rng, workspace: ws.encoder)

        // Decoder inputs: embeddings of y_{t−1} for every step at once; contexts are filled per step.
        let ids = SentenceBatch.timeMajor(batch.decoderInput, batch: B, length: T)
        let targets = SentenceBatch.timeMajor(batch.target, batch: B, length: T)
        let targetMask = SentenceBatch.timeMajor(batch.targetMask, batch: B, length: T)
        var embedded = [Float](repeating: 0, count: T * B * E)
        embedded.withUnsafeMutableBufferPointer { targetEmbedding.forward(y: $0.baseAddress!, ids: ids) }
        let embeddingKeep = dropout > 0 ? DropoutMask.mask(count: T * B * E, rate: dropout, rng: &rng) : []
        for i in embeddingKeep.indices { embedded[i] *= embeddingKeep[i] }
        let X = ws.decoderInput.reserve(T * B * EH)
        for r in 0..<(T * B) { embedded.withUnsafeBufferPointer { (X + r * EH).update(from: $0.baseAddress! + r * E, count: E) } }
        let outs = (0..<L).map { ws.layerOutputs[$0].reserve(T * B * H) }
        let contexts = ws.contexts.reserve(T * B * H), weights = ws.weights.reserve(T * B * S)

        var h = source.hidden, c = source.cells ?? []
        var newH = [Float](repeating: 0, count: B * H), newC = [Float](repeating: 0, count: B * H)
        source.states.withUnsafeBufferPointer { states in
        source.mask.withUnsafeBufferPointer { mask in
            for t in 0..<T {
                h[L - 1].withUnsafeBufferPointer { z in
                    DotProductAttention.forward(context: contexts + t * B * H, weights: weights + t * B * S, query: z.baseAddress!,
                                                states: states.baseAddress!, mask: mask.baseAddress!, batch: B, sourceLength: S, hidden: H)
                }
                for b in 0..<B { (X + (t * B + b) * EH + E).update(from: contexts + (t * B + b) * H, count: H) }
                for l in 0..<L {
                    let input: UnsafePointer<Float> = l == 0 ? UnsafePointer(X + t * B * EH) : UnsafePointer(outs[l - 1] + t * B * H)
                    h[l].withUnsafeBufferPointer { h0 in
                    newH.withUnsafeMutableBufferPointer { hN in
                    newC.withUnsafeMutableBufferPointer { cN in
                        let c0: UnsafePointer<Float>? = lstm ? c[l].withUnsafeBufferPointer { $0.baseAddress! } : nil
                        decoderLayers[l].forward(x: input, steps: 1, batch: B, lengths: nil, h0: h0.baseAddress!, c0: c0,
                                                 y: outs[l] + t * B * H, ldy: H, hN: hN.baseAddress!, cN: lstm ? cN.baseAddress! : nil,
                                                 cache: ws.caches[l][t])
                    }}}
                    swap(&h[l], &newH)
                    if lstm { swap(&c[l], &newC) }
                }
            }
        }}

        // Output layer over the real target positions only: logits = W [z_t; c_t] + b.
        let rows = (0..<(T * B)).filter { targetMask[$0] != 0 }
        let N = rows.count
        var zc = [Float](repeating: 0, count: N * 2 * H)
        for (i, r) in rows.enumerated() {
            for j in 0..<H { zc[i * 2 * H + j] = outs[L - 1][r * H + j]; zc[i * 2 * H + H + j] = contexts[r * H + j] }
        }
        let outputKeep = dropout > 0 ? DropoutMask.mask(count: N * 2 * H, rate: dropout, rng: &rng) : []
        for i in outputKeep.indices { zc[i] *= outputKeep[i] }
        var logits = Tensor(zeros: [N, V])
        logits.data.withUnsafeMutableBufferPointer { y in zc.withUnsafeBufferPointer { output.forward(y: y.baseAddress!, x: $0.baseAddress!, rows: N) } }
        let (loss, count) = softmaxCrossEntropyInPlace(&logits, targets: rows.map { targets[$0] })
        var dzc = [Float](repeating: 0, count: N * 2 * H)
        dzc.withUnsafeMutableBufferPointer { dx in
        logits.data.withUnsafeBufferPointer { dy in
        zc.withUnsafeBufferPointer { x in
            output.backward(dx: dx.baseAddress!, dy: dy.baseAddress!, x: x.baseAddress!, rows: N)
        }}}
        for i in outputKeep.indices { dzc[i] *= outputKeep[i] }
        var dZ = [Float](repeating: 0, count: T * B * H), dContext = [Float](repeating: 0, count: T * B * H)
        for (i, r) in rows.enumerated() {
            for j in 0..<H { dZ[r * H + j] = dzc[i * 2 * H + j]; dContext[r * H + j] = dzc[i * 2 * H + H + j] }
        }

        // Backward through time.
        var dH = [[Float]](repeating: [Float](repeating: 0, count: B * H), count: L)
        var dC = [[Float]](repeating: [Float](repeating: 0, count: B * H), count: lstm ? L : 0)
        var dStates = [Float](repeating: 0, count: B * S * H)
        var dEmbedded = [Float](repeating: 0, count: T * B * E)
        var dh0 = [Float](repeating: 0, count: B * H), dc0 = [Float](repeating: 0, count: B * H)
        for t in stride(from: T - 1, through: 0, by: -1) {
            var dAbove = Array(dZ[(t * B * H)..<((t + 1) * B * H)])
            for l in stride(from: L - 1, through: 0, by: -1) {
                var dIn = [Float](repeating: 0, count: B * (l == 0 ? EH : H))
                dAbove.withUnsafeBufferPointer { dy in
                dIn.withUnsafeMutableBufferPointer { dx in
                dh0.withUnsafeMutableBufferPointer { dh in
                dc0.withUnsafeMutableBufferPointer { dc in
                    let dcN: UnsafePointer<Float>? = lstm ? dC[l].withUnsafeBufferPointer { $0.baseAddress! } : nil
                    dH[l].withUnsafeBufferPointer { dhN in
                        decoderLayers[l].backward(dy: dy.baseAddress!, ldy: H, dhN: dhN.baseAddress!, dcN: dcN,
                                                  cache: ws.caches[l][t], dx: dx.baseAddress!, accumulate: false,
                                                  dh0: dh.baseAddress!, dc0: lstm ? dc.baseAddress! : nil)
                    }
                }}}}
                swap(&dH[l], &dh0)
                if lstm { swap(&dC[l], &dc0) }
                dAbove = dIn
            }
            // dAbove is dL/d[embed(y_{t−1}); c_t] (B, E + H).
            var dCt = [Float](repeating: 0, count: B * H)
            for b in 0..<B {
                for j in 0..<E { dEmbedded[(t * B + b) * E + j] = dAbove[b * EH + j] }
                for j in 0..<H { dCt[b * H + j] = dAbove[b * EH + E + j] + dContext[(t * B + b) * H + j] }
            }
            let query: UnsafePointer<Float> = t == 0 ? source.hidden[L - 1].withUnsafeBufferPointer { $0.baseAddress! }
                                                    : UnsafePointer(outs[L - 1] + (t - 1) * B * H)
            dH[L - 1].withUnsafeMutableBufferPointer { dz in
            dStates.withUnsafeMutableBufferPointer { dh in
            dCt.withUnsafeBufferPointer { dc in
            source.states.withUnsafeBufferPointer { states in
                DotProductAttention.backward(dQuery: dz.baseAddress!, dStates: dh.baseAddress!, dContext: dc.baseAddress!, dWeights: nil,
                                             query: query, states: states.baseAddress!, weights: weights + t * B * S,
                                             batch: B, sourceLength: S, hidden: H)
            }}}}
        }
        for i in embeddingKeep.indices { dEmbedded[i] *= embeddingKeep[i] }
        dEmbedded.withUnsafeBufferPointer { targetEmbedding.backward(dy: $0.baseAddress!, ids: ids, mask: targetMask) }
        encoderBackward(dStates: dStates, dHidden: dH, dCells: lstm ? dC : nil, workspace: ws.encoder)
        return (loss, count)
    }
}
