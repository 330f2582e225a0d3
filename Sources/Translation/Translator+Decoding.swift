import CBLAS
import NeuralCore

/// The decoder's recurrent state for a batch of rows: h per layer (L × (B, H)) and, for LSTM, c.
/// z_{t−1}, the attention query, is the top layer's h.
public struct DecoderState: Sendable {
    public var hidden: [[Float]]
    public var cells: [[Float]]?

    /// The rows `rows` (repeats allowed) as a new state.
    func gathering(_ rows: [Int], hiddenSize H: Int) -> DecoderState {
        DecoderState(hidden: hidden.map { layer in rows.flatMap { layer[($0 * H)..<(($0 + 1) * H)] } },
                     cells: cells.map { $0.map { layer in rows.flatMap { layer[($0 * H)..<(($0 + 1) * H)] } } })
    }
}

/// What decoding on unchanged weights prepares once and reuses for every batch: decoder step caches
/// that keep W_ihᵀ and W_hhᵀ (`makeStepCaches`), and, on first use, the output layer's argmax for
/// greedy search (`LinearArgmax`) and its matrix transposed for the small-product kernel
/// (`makeOutputProjection`) for beam search's full logits. Make one per decoding call site; the
/// weights must not change while it lives (a training step changes them). One thread at a time.
public final class DecodingPlan {
    let translator: Translator
    let caches: [RecurrentLayerCache]
    lazy var projection: [Float] = translator.makeOutputProjection()
    lazy var outputArgmax = LinearArgmax(translator.output)

    init(_ translator: Translator) {
        self.translator = translator
        caches = translator.makeStepCaches()
    }
}

extension Translator {
    /// A plan for decoding with the current weights (see `DecodingPlan`).
    public func makeDecodingPlan() -> DecodingPlan { DecodingPlan(self) }

    /// The decoder's initial state: the encoder's final state per layer.
    public func initialState(_ source: EncodedSource) -> DecoderState {
        DecoderState(hidden: source.hidden, cells: source.cells)
    }

    /// `decoder.output.weight` transposed to (2H, Vt), so that each decoding step's (B, 2H)·(2H, Vt)
    /// product runs on the small-M kernel without repacking the largest matrix of the model.
    /// Make one per decoding call (the weights change during training).
    public func makeOutputProjection() -> [Float] {
        let V = architecture.targetVocabSize, K = 2 * architecture.hiddenSize
        var transposed = [Float](repeating: 0, count: V * K)
        transposed.withUnsafeMutableBufferPointer { glossa_transpose(Int32(V), Int32(K), store.value(output.weight), Int32(K), $0.baseAddress!, Int32(V)) }
        return transposed
    }

    /// One decoding step for every row of `source` (`decoderStep`): attends with z_{t−1}, runs the
    /// RNN on [embed(y_{t−1}); c_t] and returns logits_t = output([z_t; c_t]) [B, Vt] and the
    /// attention weights a_t (B, S). Updates `state`. `caches` (one per layer) are scratch space;
    /// `projection` (from `makeOutputProjection`) makes the output product faster.
    public func step(previous: [Int32], state: inout DecoderState, source: EncodedSource,
                     caches: [RecurrentLayerCache], projection: [Float]? = nil) -> (logits: Tensor, weights: [Float]) {
        let B = source.batch, V = architecture.targetVocabSize, K = 2 * architecture.hiddenSize
        let (features, weights) = outputFeatures(previous: previous, state: &state, source: source, caches: caches)
        var logits = Tensor(zeros: [B, V])
        logits.data.withUnsafeMutableBufferPointer { y in
            features.withUnsafeBufferPointer { x in
                if let projection {
                    projection.withUnsafeBufferPointer { w in
                        smallGemm(m: B, n: V, k: K, a: x.baseAddress!, lda: K, b: w.baseAddress!, ldb: V, accumulate: false,
                                  c: y.baseAddress!, ldc: V)
                    }
                    VectorMath.addRows(y.baseAddress!, bias: store.value(output.bias!), rows: B, columns: V)
                } else {
                    output.forward(y: y.baseAddress!, x: x.baseAddress!, rows: B)
                }
            }
        }
        return (logits, weights)
    }

    /// The decoder step of `step` up to the output layer: [z_t; c_t] (B, 2H), the output layer's
    /// input, and the attention weights a_t (B, S). Updates `state`.
    func outputFeatures(previous: [Int32], state: inout DecoderState, source: EncodedSource,
                        caches: [RecurrentLayerCache]) -> (features: [Float], weights: [Float]) {
        let a = architecture, B = source.batch, S = source.sourceLength
        let E = a.embeddingSize, H = a.hiddenSize, L = a.numLayers, EH = E + H
        precondition(previous.count == B && caches.count == L)
        var x = [Float](repeating: 0, count: B * EH)
        var embedded = [Float](repeating: 0, count: B * E)
        embedded.withUnsafeMutableBufferPointer { targetEmbedding.forward(y: $0.baseAddress!, ids: previous) }
        for b in 0..<B { for j in 0..<E { x[b * EH + j] = embedded[b * E + j] } }
        var context = [Float](repeating: 0, count: B * H), weights = [Float](repeating: 0, count: B * S)
        var outputs = [Float](repeating: 0, count: L * B * H)
        x.withUnsafeMutableBufferPointer { xp in
        context.withUnsafeMutableBufferPointer { cx in
        weights.withUnsafeMutableBufferPointer { w in
        outputs.withUnsafeMutableBufferPointer { o in
            decoderStep(DecoderStepBuffers(input: xp.baseAddress!, context: cx.baseAddress!, weights: w.baseAddress!,
                                           outputs: (0..<L).map { o.baseAddress! + $0 * B * H }),
                        state: &state, source: source, caches: caches)
        }}}}
        var features = [Float](repeating: 0, count: B * 2 * H)
        let top = (L - 1) * B * H
        for b in 0..<B {
            for j in 0..<H { features[b * 2 * H + j] = outputs[top + b * H + j]; features[b * 2 * H + H + j] = context[b * H + j] }
        }
        return (features, weights)
    }

    /// Scratch caches for `step`, one per decoder layer; they keep the decoder's weights transposed
    /// for the small-product kernel, so make them per decoding call (the weights change in training).
    public func makeStepCaches() -> [RecurrentLayerCache] {
        (0..<architecture.numLayers).map { _ in RecurrentLayerCache(freezesWeights: true) }
    }

    /// Runs the encoder for inference (no dropout, nothing kept for backward).
    public func encode(_ sources: SentenceSources) -> EncodedSource {
        encode(sources, workspace: EncoderWorkspace(architecture))
    }
}
