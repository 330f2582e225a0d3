import Foundation

/// Where a training run is, and everything besides tensors that it needs to continue exactly; the
/// JSON metadata of `checkpoint.safetensors` (see `TrainingCheckpoint`), keys in snake case.
public struct TrainingState: Codable, Equatable, Sendable {
    /// Why a run stopped before its last epoch, or finished.
    public enum Stop: String, Codable, Sendable {
        /// Every epoch ran.
        case finished
        /// Validation stopped improving (`patience`).
        case earlyStopped = "early_stopped"
        /// `maxSteps` steps ran; `--resume` with a larger `--max-steps` continues.
        case stepLimit = "step_limit"
        /// Ctrl-C or SIGTERM; `--resume` continues.
        case interrupted
    }

    /// The trainer's own description of the run as JSON (data files, tokenizer, architecture…).
    public var task: String

    /// The epoch being trained, from 1 (settings.epochs + 1 once all have run).
    public var epoch = 1
    /// The next batch of this epoch (the data position).
    public var batch = 0
    /// Optimizer steps done in all (dropout masks are keyed by it).
    public var step = 0
    public var learningRate: Float
    /// Adam's step count (its moments are tensors of the checkpoint).
    public var optimizerSteps = 0
    /// Validation loss and BLEU of the best model so far (the one in model.safetensors).
    public var bestLoss: Double?
    public var bestBleu: Double?
    /// Complete evaluations in a row without a new best (early stopping).
    public var evaluationsWithoutImprovement = 0
    /// Training loss (summed) and tokens of the current epoch so far, and its training seconds.
    public var epochLoss = 0.0
    public var epochTokens = 0
    public var epochSeconds = 0.0
    /// Training seconds of the whole run, over every resumed session.
    public var elapsedSeconds = 0.0
    /// Every evaluation so far (the lines of metrics.jsonl).
    public var records: [EvaluationRecord] = []
    public var stop: Stop?

    /// A run about to start; `task` is the trainer's description of it (its options, data files…).
    public init<Task: Encodable>(learningRate: Float, task: Task) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.task = String(decoding: try encoder.encode(task), as: UTF8.self)
        self.learningRate = learningRate
    }

    /// The trainer's description of the run, decoded.
    public func decodeTask<Task: Decodable>(_ type: Task.Type, file: String) throws -> Task {
        do {
            return try JSONDecoder().decode(type, from: Data(task.utf8))
        } catch {
            throw InputError("the checkpoint's description of the run cannot be read (\(error.localizedDescription))", file: file)
        }
    }

    /// Epochs done, fractional inside an epoch of `batches` batches.
    public func epochProgress(batches: Int) -> Double {
        Double(epoch - 1) + (batches > 0 ? Double(batch) / Double(batches) : 0)
    }
}

/// FNV-1a over id sequences: a fingerprint of training data, to refuse resuming on other data.
public func dataFingerprint<S: Sequence>(_ sequences: S) -> String where S.Element == [Int32] {
    var hash = FNV1a()
    for ids in sequences {
        for id in ids { hash.add(UInt64(UInt32(bitPattern: id))) }
        hash.add(0xFFFF_FFFF_FFFF)
    }
    return String(hash.value)
}
