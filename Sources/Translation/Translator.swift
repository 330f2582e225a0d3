import NeuralCore

/// The attention encoder–decoder of docs/DESIGN.md ("Translator"), its parameters named exactly as
/// PyTorch names them (Tools/seq2seq_reference.py loads them with `load_state_dict`):
///
/// - `encoder.embedding.weight` [Vs, E]; `encoder.rnn.*_l{k}[_reverse]` (per direction H_e = H/D);
/// - `decoder.embedding.weight` [Vt, E]; `decoder.rnn.*_l{k}` with input E + H;
/// - `decoder.output.weight` [Vt, 2H], `decoder.output.bias` [Vt].
///
/// The encoder reads the source ids (ending with `<eos>`); the decoder starts from the encoder's final
/// state per layer (forward ‖ backward halves), attends with the top layer's previous state
/// z_{t−1} over the encoder states, feeds [embed(y_{t−1}); c_t] to its RNN and predicts y_t from
/// [z_t; c_t].
public final class Translator {
    public let architecture: TranslatorArchitecture
    /// Every parameter, in PyTorch's `state_dict` order.
    public let store = ParameterStore()
    public let sourceEmbedding: Embedding
    /// The encoder: L layers, bidirectional or not, H_e units per direction (PyTorch's
    /// `nn.GRU/LSTM/RNN(E, H_e, L, bidirectional:)` under `encoder.rnn`), run over whole sources.
    public let encoder: Recurrent
    public let targetEmbedding: Embedding
    /// The decoder: L layers of H units with input E + H (`decoder.rnn`), run one step at a time by
    /// `decoderStep`.
    public let decoder: Recurrent
    /// Decoder layers, bottom first.
    var decoderLayers: [RecurrentLayer] { decoder.layers.map { $0[0] } }
    public let output: Linear

    /// A freshly initialized model (PyTorch's initialization ranges; embeddings ±0.1), seeded.
    public init(_ architecture: TranslatorArchitecture, seed: UInt64 = 1) {
        self.architecture = architecture
        var rng = SplitMix64(seed: seed)
        let store = self.store
        let a = architecture, E = a.embeddingSize, H = a.hiddenSize, He = a.encoderHiddenSize
        sourceEmbedding = Embedding(vocabularySize: a.sourceVocabSize, dimension: E, prefix: "encoder.embedding", store: store, rng: &rng)
        encoder = Recurrent(cell: a.cell, inputSize: E, hiddenSize: He, numLayers: a.numLayers, bidirectional: a.bidirectionalEncoder,
                            prefix: "encoder.rnn", store: store, rng: &rng)
        targetEmbedding = Embedding(vocabularySize: a.targetVocabSize, dimension: E, prefix: "decoder.embedding", store: store, rng: &rng)
        decoder = Recurrent(cell: a.cell, inputSize: E + H, hiddenSize: H, numLayers: a.numLayers, prefix: "decoder.rnn",
                            store: store, rng: &rng)
        output = Linear(inputSize: 2 * H, outputSize: a.targetVocabSize, prefix: "decoder.output", store: store, rng: &rng)
    }
}
