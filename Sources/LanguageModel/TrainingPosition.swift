import Foundation
import TextProcessing

/// Where a training run is, and everything besides tensors that it needs to continue exactly:
/// saved in the metadata of `checkpoint.safetensors` (see `TrainingCheckpoint`).
public struct TrainingPosition: Codable, Equatable, Sendable {
    /// Why a run stopped before its last epoch, or finished.
    public enum Stop: String, Codable, Sendable {
        /// Every epoch ran.
        case finished
        /// Validation perplexity stopped improving (`patience`).
        case earlyStopped = "early_stopped"
        /// `maxSteps` steps ran; `--resume` with a larger `--max-steps` continues.
        case stepLimit = "step_limit"
        /// Ctrl-C; `--resume` continues.
        case interrupted
    }

    public var options: LanguageModelTrainingOptions
    /// How the data files were tokenized (also in config.json once a model is written).
    public var tokenizer: TokenizerSettings
    /// The data files, as given.
    public var trainFile: String
    public var validFile: String
    public var testFile: String?
    /// Size and FNV-1a hash of the training stream, to refuse resuming on other data.
    public var trainTokens: Int
    public var trainHash: String

    /// The epoch being trained, from 1 (options.epochs + 1 once all have run).
    public var epoch = 1
    /// The next chunk of this epoch.
    public var chunk = 0
    /// Optimizer steps done in all.
    public var step = 0
    public var learningRate: Float
    /// The dropout generator's state, as a decimal string (JSON numbers lose 64-bit integers).
    public var rngState: String
    public var bestValidPerplexity: Double?
    /// Training loss (summed NLL) and tokens of the current epoch so far, and its training seconds.
    public var epochLoss = 0.0
    public var epochTokens = 0
    public var epochSeconds = 0.0
    /// Training seconds of the whole run.
    public var elapsedSeconds = 0.0
    /// Every evaluation so far (the lines of metrics.jsonl).
    public var records: [EvaluationRecord] = []
    public var stop: Stop?

    enum CodingKeys: String, CodingKey {
        case options, tokenizer
        case trainFile = "train_file"
        case validFile = "valid_file"
        case testFile = "test_file"
        case trainTokens = "train_tokens"
        case trainHash = "train_hash"
        case epoch, chunk, step
        case learningRate = "learning_rate"
        case rngState = "rng_state"
        case bestValidPerplexity = "best_valid_perplexity"
        case epochLoss = "epoch_loss"
        case epochTokens = "epoch_tokens"
        case epochSeconds = "epoch_seconds"
        case elapsedSeconds = "elapsed_seconds"
        case records, stop
    }

    public init(options: LanguageModelTrainingOptions, tokenizer: TokenizerSettings, trainFile: String, validFile: String, testFile: String?,
                trainStream: [Int32]) {
        self.options = options
        self.tokenizer = tokenizer
        self.trainFile = trainFile
        self.validFile = validFile
        self.testFile = testFile
        trainTokens = trainStream.count
        trainHash = String(Self.fingerprint(trainStream))
        learningRate = options.learningRate
        rngState = String(options.seed &+ 0x9E37_79B9_7F4A_7C15)
    }

    /// FNV-1a over the ids.
    public static func fingerprint(_ ids: [Int32]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for id in ids {
            h ^= UInt64(UInt32(bitPattern: id))
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
