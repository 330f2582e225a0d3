import NeuralCore

/// An embedding + RNN + linear next-word model, pytorch/examples word_language_model's `RNNModel`
/// with the same parameter names and layouts:
///
/// ```
/// ids (T, B) ─ encoder ─ (T, B, E) ─ dropout ─ rnn (L layers, dropout between) ─ (T, B, H)
///            ─ dropout ─ decoder ─ logits (T·B, V)
/// ```
///
/// Parameters, in registration (and file) order: `encoder.weight` [V, E]; `rnn.weight_ih_l{k}`
/// [G·H, in], `rnn.weight_hh_l{k}` [G·H, H], `rnn.bias_ih_l{k}`, `rnn.bias_hh_l{k}` [G·H];
/// `decoder.weight` [V, H] (absent when tied: the decoder reads `encoder.weight`), `decoder.bias` [V].
/// Dropout (Zaremba et al. 2014) sits on the non-recurrent connections only, and only in training;
/// variational dropout draws one mask per column (sequence) and site for all T steps of a chunk.
public final class RNNLanguageModel {
    public let config: LanguageModelConfig
    /// Every parameter's values and gradients in two flat buffers.
    public let store: ParameterStore
    public let encoder: Embedding
    public let rnn: Recurrent
    public let decoder: Linear
    /// Dropout probability on the embeddings, between layers and before the decoder (training only).
    public let dropout: Float
    /// Whether those masks are locked across time: one per column and site for the whole chunk
    /// (AWD-LSTM's LockedDropout; `DropoutKey.lockedAcrossTime`), not one per step.
    public let variationalDropout: Bool

    /// A model with freshly initialized weights.
    ///
    /// - Parameters:
    ///   - initRange: every parameter uniform in ±initRange (Zaremba et al.: 0.1 small, 0.05 medium);
    ///     nil for word_language_model's initialization (embedding and decoder ±0.1, decoder bias 0,
    ///     the RNN PyTorch's ±1/√H).
    ///   - seed: the same seed gives the same weights.
    public init(config: LanguageModelConfig, dropout: Float = 0, variationalDropout: Bool = false, initRange: Float? = nil,
                seed: UInt64 = 1) {
        precondition(config.problem == nil, config.problem ?? "")
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)")
        self.config = config
        self.dropout = dropout
        self.variationalDropout = variationalDropout
        let store = ParameterStore()
        var rng = SplitMix64(seed: seed)
        encoder = Embedding(vocabularySize: config.vocabSize, dimension: config.embeddingSize, prefix: "encoder",
                            store: store, rng: &rng, initBound: 0.1)
        rnn = Recurrent(cell: config.cell, inputSize: config.embeddingSize, hiddenSize: config.hiddenSize,
                        numLayers: config.numLayers, dropout: dropout, prefix: "rnn", store: store, rng: &rng)
        decoder = config.tieWeights
            ? Linear(tiedWeight: encoder.weight, prefix: "decoder", store: store, rng: &rng)
            : Linear(inputSize: config.hiddenSize, outputSize: config.vocabSize, prefix: "decoder", store: store, rng: &rng)
        self.store = store
        if let initRange {
            let values = store.allValues
            for i in values.indices { values[i] = rng.nextUniform(bound: initRange) }
        } else {
            if !config.tieWeights {
                let w = store.value(decoder.weight)
                for i in 0..<decoder.weight.count { w[i] = rng.nextUniform(bound: 0.1) }
            }
            store.value(decoder.bias!).update(repeating: 0, count: config.vocabSize)
        }
    }

    /// V.
    public var vocabularySize: Int { config.vocabSize }

    /// A zero state for `batch` columns: h (and c for LSTM) [L, B, H].
    public func zeroState(batch: Int) -> RecurrentState {
        RecurrentState(zerosFor: config.cell, slots: config.numLayers, batch: batch, hidden: config.hiddenSize)
    }

    /// The tensors a `state_dict` of word_language_model's RNNModel holds, by name; with tied
    /// weights `decoder.weight` is a copy of `encoder.weight`, as PyTorch writes both.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        var out = store.parameters.map { (name: $0.name, tensor: store.tensor($0)) }
        if config.tieWeights {
            let index = out.firstIndex { $0.name == decoder.bias!.name } ?? out.count
            out.insert((name: "decoder.weight", tensor: store.tensor(encoder.weight)), at: index)
        }
        return out
    }
}
