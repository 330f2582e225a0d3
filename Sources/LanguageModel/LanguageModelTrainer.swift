import Foundation
import MessagePassing
import NeuralCore
import TextProcessing

/// What a language-model training run was started on, kept in its checkpoint (`TrainingState.task`).
struct LanguageModelRun: TrainingRunDescription {
    var options: LanguageModelTrainingOptions
    /// How the data files were tokenized (also in config.json once a model is written).
    var tokenizer: TokenizerSettings
    var trainFile: String
    var validFile: String
    var testFile: String?
    /// Size and fingerprint of the training stream, to refuse resuming on other data.
    var trainTokens: Int
    var trainHash: String

    enum CodingKeys: String, CodingKey {
        case options, tokenizer
        case trainFile = "train_file", validFile = "valid_file", testFile = "test_file"
        case trainTokens = "train_tokens", trainHash = "train_hash"
    }
}

/// The language model's part of training (`TrainingTask`): its batches (the training stream in B
/// columns read T steps at a time, as pytorch/examples word_language_model and Zaremba et al. 2014),
/// the hidden state carried (and detached) from chunk to chunk and reset at each epoch, its
/// loss-and-gradient step, validation perplexity (batch 1, exact), and its learning-rate schedules.
/// In a data-parallel run rank r of N holds columns [r·B/N, (r+1)·B/N) of the global batch.
final class LanguageModelTask: TrainingTask {
    let model: RNNLanguageModel
    let vocabulary: Vocabulary
    let options: LanguageModelTrainingOptions
    let train: LanguageModelBatches
    let valid: [Int32]
    var state: RecurrentState
    var final: RecurrentState?
    let workspace = LanguageModelWorkspace()
    var plateau: PlateauScheduler?
    let communicator: any Communicator
    /// This rank's columns of the global batch (all of them on one process).
    let columns: Range<Int>

    init(model: RNNLanguageModel, vocabulary: Vocabulary, options: LanguageModelTrainingOptions, train: [Int32], valid: [Int32],
         communicator: any Communicator) {
        self.model = model
        self.vocabulary = vocabulary
        self.options = options
        self.communicator = communicator
        let B = options.training.batchSize
        precondition(B % communicator.size == 0, "batch \(B) is not divisible by \(communicator.size) ranks (checked by `start`/`resume`)")
        columns = (communicator.rank * B / communicator.size) ..< ((communicator.rank + 1) * B / communicator.size)
        // Column b of word_language_model's `batchify` is stream[b·L ..< (b+1)·L]: this rank's share
        // is the slice stream[lo·L ..< hi·L].
        let length = train.count / B
        self.train = LanguageModelBatches(stream: Array(train[(columns.lowerBound * length) ..< (columns.upperBound * length)]),
                                          batchSize: columns.count, bptt: options.bptt)
        self.valid = valid
        state = model.zeroState(batch: columns.count)
        plateau = options.schedule == .plateau
            ? PlateauScheduler(learningRate: options.training.learningRate, factor: options.learningRateDecay, patience: 0) : nil
    }

    var store: ParameterStore { model.store }
    func batchCount(epoch: Int) -> Int { train.count }

    func startEpoch(_ epoch: Int, learningRate: inout Float) {
        state = model.zeroState(batch: columns.count)
        if options.schedule == .fixed { learningRate = options.fixedLearningRate(epoch: epoch) }
    }

    func accumulateGradients(epoch: Int, batch: Int, dropout: DropoutKey) -> StepLoss {
        let chunk = train.chunk(batch)
        var key = dropout
        key.firstPosition = columns.lowerBound
        let (nll, final) = model.trainingStep(chunk, state: state, dropout: key, workspace: workspace)
        self.final = final
        return StepLoss(sum: nll, tokens: chunk.tokenCount)
    }

    func finishStep() {
        if let final { state = final }
    }

    func validate() -> Validation? {
        let result = model.perplexity(of: valid, batchSize: 1, bptt: options.evalBptt, workspace: workspace)
        return Validation(loss: result.loss, tokens: result.tokens)
    }

    func finishEpoch(validationLoss: Double, learningRate: inout Float) {
        if plateau != nil { learningRate = plateau!.record(validationLoss: Float(validationLoss)) }
    }

    func saveModel(to folder: String) throws { try model.save(to: folder) }

    var carriedState: [(name: String, tensor: Tensor)] {
        let whole = state.gathered(across: communicator)
        return [(name: "h", tensor: whole.h)] + (whole.c.map { [(name: "c", tensor: $0)] } ?? [])
    }

    func restoreCarriedState(_ tensors: [String: Tensor], file: String) throws {
        let expected = [options.layers, options.training.batchSize, options.hiddenSize]
        guard let h = tensors["h"], h.shape == expected, (tensors["c"] == nil) == !options.cell.hasCellState,
              tensors["c"].map({ $0.shape == expected }) ?? true else {
            throw InputError("the checkpoint's hidden state state.h is missing or not of shape \(expected)", file: file)
        }
        state = RecurrentState(h: h, c: tensors["c"]).columns(columns)
    }
}

/// Trains an `RNNLanguageModel` on a token stream with the shared `TrainingLoop`: per chunk zero the
/// gradients, forward, backward, add the L2 penalty's gradient, clip the global gradient norm, step.
/// After each epoch: validation perplexity, the best model written to the output folder, the
/// learning rate annealed, early stopping, a checkpoint. At the end the best model's test perplexity.
///
/// The output folder receives `vocab.txt` and `config.json` + `model.safetensors` (the best model by
/// validation perplexity), `metrics.jsonl` (one line per evaluation), `training-curve.svg`, and
/// `checkpoint.safetensors` (the resumable state, see `TrainingCheckpoint`). The folder is locked
/// (`FolderLock`, rank 0) while the trainer lives. Under mpirun each rank trains its columns of the
/// global batch (`LanguageModelTask`, `TrainingLoop`).
public final class LanguageModelTrainer {
    let task: LanguageModelTask
    public let loop: TrainingLoop
    let test: [Int32]?
    let lock: FolderLock?

    init(task: LanguageModelTask, loop: TrainingLoop, test: [Int32]?, lock: FolderLock?) {
        self.task = task
        self.loop = loop
        self.test = test
        self.lock = lock
    }

    public var model: RNNLanguageModel { task.model }
    public var options: LanguageModelTrainingOptions { task.options }
    /// The best validation perplexity so far.
    public var bestValidPerplexity: Double? { loop.state.bestLoss.map { Foundation.exp($0) } }

    /// Trains until every epoch has run, early stopping, `maxSteps`, or `shouldStop`. Evaluates the
    /// best model (read back from the output folder) on the test stream at the end (not when interrupted).
    @discardableResult
    public func run() throws -> TrainingState.Stop {
        let stop = try loop.run()
        guard stop != .interrupted, let test, loop.state.bestLoss != nil else { return stop }
        let result = try loop.shared {
            let best = try RNNLanguageModel.load(from: loop.output)
            let result = best.perplexity(of: test, batchSize: 1, bptt: options.evalBptt, workspace: LanguageModelWorkspace())
            return Validation(loss: result.loss, tokens: result.tokens)
        }!
        var record = EvaluationRecord(split: .test, epoch: loop.state.epochProgress(batches: task.train.count),
                                      step: loop.state.step, loss: result.loss, tokens: result.tokens)
        record.elapsedSeconds = loop.state.elapsedSeconds
        try loop.append(record)
        try loop.saveCheckpoint()
        return stop
    }
}
