import NeuralCore
import TextProcessing

/// A translator's `config.json`, keys exactly as docs/DESIGN.md ("Checkpoint contract") names them:
///
///     {"model_type": "rnn-seq2seq-attention", "cell": "gru", "embedding_size": 256, "hidden_size": 512,
///      "num_layers": 1, "bidirectional_encoder": true, "source_vocab_size": 7882,
///      "target_vocab_size": 5898, "max_output_ratio": 1.5, "source_tokenizer": {…}, "target_tokenizer": {…}}
///
/// A subword model adds the byte-pair encoding codes files it keeps in its directory (the same file
/// for joint codes): `"source_bpe_codes": "codes.bpe", "target_bpe_codes": "codes.bpe"`.
public struct TranslatorConfig: Codable, Equatable, Sendable {
    public static let modelType = "rnn-seq2seq-attention"

    public var modelType: String
    public var architecture: TranslatorArchitecture
    public var sourceTokenizer: TokenizerSettings
    public var targetTokenizer: TokenizerSettings
    /// The codes file (in the model directory) that cuts source tokens into subword pieces; nil for words.
    public var sourceBPECodes: String?
    /// The codes file of the target side; nil for words.
    public var targetBPECodes: String?

    public init(architecture: TranslatorArchitecture, sourceTokenizer: TokenizerSettings, targetTokenizer: TokenizerSettings,
                sourceBPECodes: String? = nil, targetBPECodes: String? = nil) {
        modelType = Self.modelType
        self.architecture = architecture
        self.sourceTokenizer = sourceTokenizer
        self.targetTokenizer = targetTokenizer
        self.sourceBPECodes = sourceBPECodes
        self.targetBPECodes = targetBPECodes
    }

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", cell
        case embeddingSize = "embedding_size", hiddenSize = "hidden_size", numLayers = "num_layers"
        case bidirectionalEncoder = "bidirectional_encoder"
        case sourceVocabSize = "source_vocab_size", targetVocabSize = "target_vocab_size"
        case maxOutputRatio = "max_output_ratio"
        case sourceTokenizer = "source_tokenizer", targetTokenizer = "target_tokenizer"
        case sourceBPECodes = "source_bpe_codes", targetBPECodes = "target_bpe_codes"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        architecture = TranslatorArchitecture(
            cell: try c.decode(RecurrentCell.self, forKey: .cell),
            embeddingSize: try c.decode(Int.self, forKey: .embeddingSize),
            hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
            numLayers: try c.decode(Int.self, forKey: .numLayers),
            bidirectionalEncoder: try c.decode(Bool.self, forKey: .bidirectionalEncoder),
            sourceVocabSize: try c.decode(Int.self, forKey: .sourceVocabSize),
            targetVocabSize: try c.decode(Int.self, forKey: .targetVocabSize),
            maxOutputRatio: try c.decode(Double.self, forKey: .maxOutputRatio))
        sourceTokenizer = try c.decode(TokenizerSettings.self, forKey: .sourceTokenizer)
        targetTokenizer = try c.decode(TokenizerSettings.self, forKey: .targetTokenizer)
        sourceBPECodes = try c.decodeIfPresent(String.self, forKey: .sourceBPECodes)
        targetBPECodes = try c.decodeIfPresent(String.self, forKey: .targetBPECodes)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(modelType, forKey: .modelType)
        try c.encode(architecture.cell, forKey: .cell)
        try c.encode(architecture.embeddingSize, forKey: .embeddingSize)
        try c.encode(architecture.hiddenSize, forKey: .hiddenSize)
        try c.encode(architecture.numLayers, forKey: .numLayers)
        try c.encode(architecture.bidirectionalEncoder, forKey: .bidirectionalEncoder)
        try c.encode(architecture.sourceVocabSize, forKey: .sourceVocabSize)
        try c.encode(architecture.targetVocabSize, forKey: .targetVocabSize)
        try c.encode(architecture.maxOutputRatio, forKey: .maxOutputRatio)
        try c.encode(sourceTokenizer, forKey: .sourceTokenizer)
        try c.encode(targetTokenizer, forKey: .targetTokenizer)
        try c.encodeIfPresent(sourceBPECodes, forKey: .sourceBPECodes)
        try c.encodeIfPresent(targetBPECodes, forKey: .targetBPECodes)
    }
}
