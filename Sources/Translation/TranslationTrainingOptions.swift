import NeuralCore
import TextProcessing

/// The recurrent cells the translator supports (`--cell`).
public enum TranslatorCell: String, Codable, Sendable, CaseIterable {
    case gru
    case lstm
    case rnnTanh = "rnn_tanh"

    /// The translator's name of `cell`; nil for a cell it does not support.
    public init?(_ cell: RecurrentCell) {
        guard let known = Self.allCases.first(where: { $0.recurrentCell == cell }) else { return nil }
        self = known
    }

    public var recurrentCell: RecurrentCell {
        switch self {
        case .gru: return .gru
        case .lstm: return .lstm
        case .rnnTanh: return .rnnTanh
        }
    }
}

/// Everything `glossa translate train` decides, each default here and only here: the architecture,
/// how the corpora become vocabularies and batches, and the loop's settings.
public struct TranslationTrainingOptions: TrainerOptions, Equatable, Sendable {
    public var cell = TranslatorCell.gru
    /// Layers of the encoder and of the decoder.
    public var layers = 1
    /// E.
    public var embeddingSize = 256
    /// H (each encoder direction gets H/2 when bidirectional).
    public var hiddenSize = 512
    public var bidirectional = true
    /// Decoding stops after ⌈r·n⌉ + 5 tokens for n source tokens.
    public var maxOutputRatio = 1.5
    /// The loop's settings: sentence pairs per batch; dropout on embeddings and on [z_t; c_t];
    /// `patience` epochs without a better validation score.
    public var training = TrainingSettings(epochs: 15, patience: 3, batchSize: 64, optimizer: .adam, learningRate: 1e-3,
                                           clip: 1, dropout: 0.3)
    /// When set, batches hold as many pairs as keep B · max(S, T) within this many tokens.
    public var batchTokens: Int?
    /// Pairs with a side longer than this many tokens are skipped (and counted).
    public var maxLength = 50
    /// Tokens kept in each vocabulary: seen at least this often, at most this many.
    public var sourceMinCount = 2
    public var targetMinCount = 2
    public var sourceMaxSize: Int?
    public var targetMaxSize: Int?
    /// Both sides keep punctuation; the ICU tokenizer case-folds unless told not to.
    public var tokenizer = TokenizerSettings.icu(casefold: true, keepPunctuation: true)
    /// Subword pieces: byte-pair encoding merges learned on both sides' tokens together (`--bpe`),
    /// or per side (`--source-bpe`, `--target-bpe`); nil leaves a side of words.
    public var bpeMerges: Int?
    public var sourceBPEMerges: Int?
    public var targetBPEMerges: Int?

    public init() {}

    /// The first option that makes no sense, as a message naming it, or nil.
    public var problem: String? {
        if layers < 1 || embeddingSize < 1 || hiddenSize < 1 { return "--layers, --embed and --hidden must be positive" }
        if bidirectional && hiddenSize % 2 != 0 { return "--hidden must be even with a bidirectional encoder" }
        if !(maxOutputRatio > 0) { return "--max-output-ratio must be positive" }
        if let problem = training.problem { return problem }
        if let batchTokens, batchTokens < 1 { return "--batch-tokens must be at least 1" }
        if maxLength < 1 { return "--max-length must be at least 1" }
        if sourceMinCount < 1 || targetMinCount < 1 { return "--min-count must be at least 1" }
        if (sourceMaxSize ?? 5) < 5 || (targetMaxSize ?? 5) < 5 { return "--max-size must leave room for a word besides the four specials" }
        if bpeMerges != nil && (sourceBPEMerges != nil || targetBPEMerges != nil) {
            return "give --bpe (joint codes) or --source-bpe / --target-bpe (separate codes), not both"
        }
        if [bpeMerges, sourceBPEMerges, targetBPEMerges].contains(where: { ($0 ?? 1) < 1 }) {
            return "--bpe, --source-bpe and --target-bpe must be at least 1"
        }
        return nil
    }

    /// Every setting as flag → value (the resume contract compares these).
    public var flags: [String: String] {
        func text(_ value: Int?) -> String { value.map(String.init) ?? "none" }
        return training.flags.merging([
            "--cell": cell.rawValue, "--layers": String(layers), "--embed": String(embeddingSize), "--hidden": String(hiddenSize),
            "--bidirectional": String(bidirectional), "--max-output-ratio": "\(maxOutputRatio)", "--batch-tokens": text(batchTokens),
            "--max-length": String(maxLength), "--source-min-count": String(sourceMinCount), "--target-min-count": String(targetMinCount),
            "--source-max-size": text(sourceMaxSize), "--target-max-size": text(targetMaxSize), "--tokenizer": tokenizer.kind.rawValue,
            "--casefold": String(tokenizer.casefold), "--bpe": text(bpeMerges), "--source-bpe": text(sourceBPEMerges),
            "--target-bpe": text(targetBPEMerges),
        ]) { $1 }
    }

    /// The model's `config.json` for vocabularies of these sizes: the one place the options become
    /// an architecture (a run's checkpoint keeps the options alone; `--resume` makes the config again).
    public func config(sourceVocabSize: Int, targetVocabSize: Int) -> TranslatorConfig {
        let joint = bpeMerges != nil
        return TranslatorConfig(architecture: TranslatorArchitecture(cell: cell.recurrentCell, embeddingSize: embeddingSize, hiddenSize: hiddenSize,
                                                                     numLayers: layers, bidirectionalEncoder: bidirectional,
                                                                     sourceVocabSize: sourceVocabSize, targetVocabSize: targetVocabSize,
                                                                     maxOutputRatio: maxOutputRatio),
                                sourceTokenizer: tokenizer, targetTokenizer: tokenizer,
                                sourceBPECodes: joint ? "codes.bpe" : sourceBPEMerges.map { _ in "source.codes.bpe" },
                                targetBPECodes: joint ? "codes.bpe" : targetBPEMerges.map { _ in "target.codes.bpe" })
    }
}
