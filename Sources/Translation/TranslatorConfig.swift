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

    /// The config's own keys; the architecture's sit beside them in the same object.
    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case sourceTokenizer = "source_tokenizer", targetTokenizer = "target_tokenizer"
        case sourceBPECodes = "source_bpe_codes", targetBPECodes = "target_bpe_codes"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        architecture = try TranslatorArchitecture(from: decoder)
        sourceTokenizer = try c.decode(TokenizerSettings.self, forKey: .sourceTokenizer)
        targetTokenizer = try c.decode(TokenizerSettings.self, forKey: .targetTokenizer)
        sourceBPECodes = try c.decodeIfPresent(String.self, forKey: .sourceBPECodes)
        targetBPECodes = try c.decodeIfPresent(String.self, forKey: .targetBPECodes)
    }

    public func encode(to encoder: Encoder) throws {
        try architecture.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(modelType, forKey: .modelType)
        try c.encode(sourceTokenizer, forKey: .sourceTokenizer)
        try c.encode(targetTokenizer, forKey: .targetTokenizer)
        try c.encodeIfPresent(sourceBPECodes, forKey: .sourceBPECodes)
        try c.encodeIfPresent(targetBPECodes, forKey: .targetBPECodes)
    }
}
