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
    /// Encoder layers, `[layer][direction]` (direction 1 runs backward in time).
    public let encoderLayers: [[RecurrentLayer]]
    public let targetEmbedding: Embedding
    /// Decoder layers, bottom first.
    public let decoderLayers: [RecurrentLayer]
    public let output: Linear

    /// A freshly initialized model (PyTorch's initialization ranges; embeddings ±0.1), seeded.
    public init(_ architecture: TranslatorArchitecture, seed: UInt64 = 1) {
        self.architecture = architecture
        var rng = SplitMix64(seed: seed)
        let store = self.store
        let a = architecture, E = a.embeddingSize, H = a.hiddenSize, He = a.encoderHiddenSize
        sourceEmbedding = Embedding(vocabularySize: a.sourceVocabSize, dimension: E, prefix: "encoder.embedding", store: store, rng: &rng)
        var encoder: [[RecurrentLayer]] = []
        for k in 0..<a.numLayers {
            encoder.append((0..<a.directions).map { d in
                RecurrentLayer(cell: a.cell, inputSize: k == 0 ? E : H, hiddenSize: He, reverse: d == 1,
                               prefix: "encoder.rnn", suffix: "l\(k)" + (d == 1 ? "_reverse" : ""), store: store, rng: &rng)
            })
        }
        encoderLayers = encoder
        targetEmbedding = Embedding(vocabularySize: a.targetVocabSize, dimension: E, prefix: "decoder.embedding", store: store, rng: &rng)
        decoderLayers = (0..<a.numLayers).map { k in
            RecurrentLayer(cell: a.cell, inputSize: k == 0 ? E + H : H, hiddenSize: H, prefix: "decoder.rnn",
                           suffix: "l\(k)", store: store, rng: &rng)
        }
        output = Linear(inputSize: 2 * H, outputSize: a.targetVocabSize, prefix: "decoder.output", store: store, rng: &rng)
    }

    /// Number of Float32 parameters.
    public var parameterCount: Int { store.count }
}
