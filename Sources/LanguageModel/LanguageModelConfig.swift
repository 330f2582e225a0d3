import NeuralCore
import TextProcessing

/// A language model's `config.json`: architecture and tokenizer, with the keys of the checkpoint
/// contract (docs/DESIGN.md, "Checkpoint contract"), so that the same directory loads in PyTorch's
/// word_language_model `RNNModel` and here.
///
/// ```json
/// {"model_type": "rnn-lm", "cell": "lstm", "embedding_size": 200, "hidden_size": 200,
///  "num_layers": 2, "vocab_size": 10002, "tie_weights": false, "tokenizer": {"kind": "whitespace"}}
/// ```
public struct LanguageModelConfig: Codable, Equatable, Sendable {
    /// The `model_type` every language model directory carries.
    public static let modelType = "rnn-lm"

    public var modelType: String
    /// Recurrent cell: lstm, gru, rnn_tanh, rnn_relu or rnn_sigmoid.
    public var cell: RecurrentCell
    /// E, the width of a word embedding.
    public var embeddingSize: Int
    /// H, the width of each recurrent layer's state.
    public var hiddenSize: Int
    /// L, the number of stacked recurrent layers.
    public var numLayers: Int
    /// V, the number of tokens in `vocab.txt`.
    public var vocabSize: Int
    /// Whether `decoder.weight` is `encoder.weight` (needs E = H).
    public var tieWeights: Bool
    /// How text becomes tokens.
    public var tokenizer: TokenizerSettings
    /// The byte-pair encoding codes file in the model directory that cuts tokens into subword
    /// pieces (`"bpe_codes": "codes.bpe"`); nil for a word model.
    public var bpeCodes: String?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case cell
        case embeddingSize = "embedding_size"
        case hiddenSize = "hidden_size"
        case numLayers = "num_layers"
        case vocabSize = "vocab_size"
        case tieWeights = "tie_weights"
        case tokenizer
        case bpeCodes = "bpe_codes"
    }

    public init(cell: RecurrentCell, embeddingSize: Int, hiddenSize: Int, numLayers: Int, vocabSize: Int,
                tieWeights: Bool = false, tokenizer: TokenizerSettings, bpeCodes: String? = nil) {
        modelType = Self.modelType
        self.cell = cell
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.vocabSize = vocabSize
        self.tieWeights = tieWeights
        self.tokenizer = tokenizer
        self.bpeCodes = bpeCodes
    }

    /// The first thing wrong with these numbers, or nil (a description fit for an error message).
    public var problem: String? {
        if modelType != Self.modelType { return "model_type is \"\(modelType)\", not \"\(Self.modelType)\"" }
        if embeddingSize < 1 || hiddenSize < 1 || numLayers < 1 { return "embedding_size, hidden_size and num_layers must be at least 1" }
        if vocabSize < 1 { return "vocab_size must be at least 1" }
        if tieWeights && embeddingSize != hiddenSize {
            return "tie_weights needs embedding_size = hidden_size (\(embeddingSize) ≠ \(hiddenSize))"
        }
        return nil
    }
}
