import Foundation
import MessagePassing
import NeuralCore
import TextProcessing

/// A snapshot for a progress line.
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    /// Chunks done in this epoch, and per epoch.
    public var chunk: Int
    public var chunks: Int
    public var step: Int
    /// Mean training loss per token over the epoch so far, and its exp.
    public var loss: Double
    public var perplexity: Double
    public var tokensPerSecond: Double
    /// Estimated training seconds left in the run (evaluations excluded).
    public var secondsLeft: Double
}

/// Training stopped because the loss (or the gradient) stopped being a finite number.
public struct TrainingDiverged: Error, CustomStringConvertible {
    public var step: Int
    public var epoch: Int
    public var learningRate: Float
    public var output: String
    public var bestPerplexity: Double?

    public var description: String {
        let kept = bestPerplexity.map { String(format: "; the best model so far (validation perplexity %.2f) is in %@", $0, output) }
            ?? "; no model was written"
        return "training diverged: the loss is NaN or infinite at step \(step) (epoch \(epoch)); use a lower --lr (it was \(learningRate)) or clip gradients with --clip 5\(kept)"
    }
}

/// Truncated-BPTT training of an `RNNLanguageModel` on a token stream, as pytorch/examples
/// word_language_model and Zaremba et al. (2014) do it: the training stream in B columns read T
/// steps at a time with the hidden state carried (and detached) from chunk to chunk and reset at
/// each epoch; per chunk zero the gradients, forward, backward, add the L2 penalty's gradient, clip
/// the global gradient norm, step. After each epoch: validation perplexity (batch 1, exact), the best
/// model written to the output folder, the learning rate annealed, early stopping, a checkpoint.
///
/// The output folder receives `vocab.txt` and `config.json` + `model.safetensors` (the best model by
/// validation perplexity), `metrics.jsonl` (one line per evaluation), `training-curve.svg`, and
/// `checkpoint.safetensors` (the resumable state, see `TrainingCheckpoint`).
public final class LanguageModelTrainer {
    public let model: RNNLanguageModel
    public let vocabulary: Vocabulary
    public let output: String
    public private(set) var position: TrainingPosition
    /// The processes training together (one, or an MPI job); rank 0 alone writes files.
    public let communicator: any Communicator
    /// This rank's columns of the global batch (all of them on one process).
    public let columns: Range<Int>
    let train: LanguageModelBatches
    let valid: [Int32]
    let test: [Int32]?
    var state: RecurrentState
    let sgd: SGD?
    let adam: Adam?
    let workspace = LanguageModelWorkspace()
    /// The best weights seen (for the final test evaluation), nil until the first evaluation.
    var bestWeights: [Float]?
    /// Early stopping (`patience`) and the plateau schedule, fed the loss of every complete epoch's
    /// validation (replayed from the records when a run resumes).
    var earlyStopping: EarlyStopping?
    var plateau: PlateauScheduler?

    /// Called where a whole batch's gradients are complete, before L2, clipping and the optimizer.
    public var gradientReducer: GradientReducer = LocalGradients()
    /// Asked after every step on every rank; when it is true on any rank, all save a checkpoint and
    /// return `.interrupted` after the same step.
    public var shouldStop: () -> Bool = { false }
    /// Called after every step.
    public var onProgress: ((TrainingProgress) -> Void)?
    /// Called after every evaluation with its record.
    public var onEvaluation: ((EvaluationRecord) -> Void)?

    public var options: LanguageModelTrainingOptions { position.options }

    /// A run from scratch (or, with `checkpoint`, the continuation of one). Streams are ids of
    /// `vocabulary`; `position` carries the options and file names.
    init(model: RNNLanguageModel, vocabulary: Vocabulary, output: String, position: TrainingPosition,
         train: [Int32], valid: [Int32], test: [Int32]?, checkpoint: TrainingCheckpoint? = nil,
         communicator: any Communicator = SingleProcessCommunicator()) throws {
        self.model = model
        self.vocabulary = vocabulary
        self.output = output
        self.position = position
        self.communicator = communicator
        let options = position.options
        let columns = Self.columns(rank: communicator.rank, of: communicator.size, batchSize: options.batchSize)
        self.columns = columns
        self.train = Self.batches(train, columns: columns, options: options)
        self.valid = valid
        self.test = test
        state = checkpoint.map { $0.state.columns(columns) } ?? model.zeroState(batch: columns.count)
        if communicator.size > 1 { gradientReducer = AllreduceGradients(communicator: communicator) }
        switch options.optimizer {
        case .sgd:
            sgd = SGD(store: model.store, learningRate: position.learningRate)
            adam = nil
        case .adam:
            sgd = nil
            adam = Adam(store: model.store, learningRate: position.learningRate)
        }
        earlyStopping = options.patience.map { EarlyStopping(patience: $0, store: model.store) }
        plateau = options.schedule == .plateau
            ? PlateauScheduler(learningRate: options.learningRate, factor: options.learningRateDecay, patience: 0) : nil
        for record in position.records where record.split == "valid" && record.partial != true {
            _ = earlyStopping?.record(validationLoss: Float(record.loss))
            plateau?.record(validationLoss: Float(record.loss))
        }
        if let checkpoint {
            try model.loadWeights(checkpoint.parameters, file: output + "/" + TrainingCheckpoint.fileName)
            if let best = position.bestValidPerplexity, best.isFinite, FileManager.default.fileExists(atPath: output + "/model.safetensors") {
                let bestModel = try RNNLanguageModel.load(from: output)
                bestWeights = bestModel.store.snapshot()
            }
        }
        try model.store.synchronize(across: communicator)
    }

    // MARK: - The loop

    /// Trains until every epoch has run, early stopping, `maxSteps`, or `shouldStop`. Evaluates the
    /// best model on the test stream at the end (not when interrupted).
    @discardableResult
    public func run() throws -> TrainingPosition.Stop {
        let chunks = train.count
        let options = self.options
        position.stop = nil
        var sessionChunks = 0
        var sessionSeconds = 0.0
        var stop: TrainingPosition.Stop?
        epochs: while position.epoch <= options.epochs {
            if position.chunk == 0 && position.epochTokens == 0 {
                state = model.zeroState(batch: columns.count)
                if options.schedule == .fixed { position.learningRate = options.fixedLearningRate(epoch: position.epoch) }
            }
            sgd?.learningRate = position.learningRate
            adam?.learningRate = position.learningRate
            while position.chunk < chunks {
                if let limit = options.maxSteps, position.step >= limit { stop = .stepLimit; break }
                let start = DispatchTime.now().uptimeNanoseconds
                let chunk = train.chunk(position.chunk)
                model.store.zeroGradients()
                let (nll, final) = model.trainingStep(chunk, state: state, dropout: DropoutKey(seed: options.seed, step: position.step, firstPosition: columns.lowerBound),
                                                      workspace: workspace)
                var loss = StepLoss(sum: nll, tokens: chunk.tokenCount)
                gradientReducer.reduce(gradients: model.store.allGradients, loss: &loss)
                if options.l2 > 0 { model.store.addL2Penalty(options.l2) }
                let norm = options.clip > 0 ? model.store.clipGradientNorm(options.clip) : model.store.gradientNorm()
                guard loss.sum.isFinite, norm.isFinite else {
                    throw TrainingDiverged(step: position.step + 1, epoch: position.epoch, learningRate: position.learningRate,
                                           output: output, bestPerplexity: position.bestValidPerplexity)
                }
                if let sgd { sgd.step() } else { adam!.step() }
                state = final
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                position.chunk += 1
                position.step += 1
                position.epochLoss += loss.sum
                position.epochTokens += loss.tokens
                position.epochSeconds += seconds
                position.elapsedSeconds += seconds
                sessionChunks += 1
                sessionSeconds += seconds
                if let onProgress {
                    var remaining = (options.epochs - position.epoch) * chunks + (chunks - position.chunk)
                    if let limit = options.maxSteps { remaining = min(remaining, limit - position.step) }
                    let loss = position.epochLoss / Double(position.epochTokens)
                    onProgress(TrainingProgress(epoch: position.epoch, epochs: options.epochs, chunk: position.chunk,
                                                chunks: chunks, step: position.step, loss: loss, perplexity: Foundation.exp(loss),
                                                tokensPerSecond: Double(position.epochTokens) / max(position.epochSeconds, 1e-9),
                                                secondsLeft: Double(remaining) * sessionSeconds / Double(sessionChunks)))
                }
                if agreedStop() {
                    position.stop = .interrupted
                    try saveCheckpoint()
                    return .interrupted
                }
            }
            if stop == .stepLimit && position.chunk < chunks {
                // Stopped inside an epoch: evaluate where we are, but leave the schedule and early
                // stopping to whole epochs so that a resumed run follows the same path.
                if position.epochTokens > 0 { try evaluate(complete: false, chunks: chunks) }
                break epochs
            }
            let loss = Float(try evaluate(complete: true, chunks: chunks).loss)
            if plateau != nil { position.learningRate = plateau!.record(validationLoss: loss) }
            let stopEarly = earlyStopping?.record(validationLoss: loss) ?? false
            position.epoch += 1
            position.chunk = 0
            position.epochLoss = 0
            position.epochTokens = 0
            position.epochSeconds = 0
            if stopEarly { stop = .earlyStopped; break }
            if let limit = options.maxSteps, position.step >= limit { stop = .stepLimit; break }
            if position.epoch <= options.epochs { try saveCheckpoint() }
        }
        let reason = stop ?? .finished
        if let test, let bestWeights {
            let current = model.store.snapshot()
            model.store.restore(bestWeights)
            let result = sharedPerplexity(of: test)
            model.store.restore(current)
            var record = EvaluationRecord(split: "test", epoch: epochProgress(chunks: chunks), step: position.step, result: result)
            record.elapsedSeconds = position.elapsedSeconds
            position.records.append(record)
            onEvaluation?(record)
            try writeMetrics()
        }
        position.stop = reason
        try saveCheckpoint()
        return reason
    }

    /// Epochs done, fractional inside an epoch.
    func epochProgress(chunks: Int) -> Double {
        Double(position.epoch - 1) + (chunks > 0 ? Double(position.chunk) / Double(chunks) : 0)
    }

    /// Validation perplexity of the current weights; writes the model when it is the best so far,
    /// appends the record to metrics.jsonl and redraws the curve. Returns the record.
    @discardableResult
    func evaluate(complete: Bool, chunks: Int) throws -> EvaluationRecord {
        let result = sharedPerplexity(of: valid)
        var record = EvaluationRecord(split: "valid", epoch: epochProgress(chunks: chunks), step: position.step, result: result)
        if complete { record.epoch = Double(position.epoch) } else { record.partial = true }
        record.learningRate = Double(position.learningRate)
        let trainLoss = position.epochLoss / Double(max(position.epochTokens, 1))
        record.trainLoss = trainLoss
        record.trainPerplexity = Foundation.exp(trainLoss)
        record.tokensPerSecond = Double(position.epochTokens) / max(position.epochSeconds, 1e-9)
        record.epochSeconds = position.epochSeconds
        record.elapsedSeconds = position.elapsedSeconds
        let improved = result.perplexity.isFinite && result.perplexity < (position.bestValidPerplexity ?? .infinity)
        record.best = improved
        if improved {
            position.bestValidPerplexity = result.perplexity
            bestWeights = model.store.snapshot()
            if communicator.isRoot { try model.save(to: output) }
        }
        position.records.append(record)
        try writeMetrics()
        onEvaluation?(record)
        return record
    }

    func writeMetrics() throws {
        guard communicator.isRoot else { return }
        try AtomicFile.write(EvaluationRecord.jsonLines(position.records), to: output + "/metrics.jsonl")
        try AtomicFile.write(TrainingCurve.svg(position.records, title: curveTitle), to: output + "/training-curve.svg")
    }

    var curveTitle: String {
        let o = options
        return "\(o.layers)-layer \(o.cell.rawValue.uppercased()) \(o.hiddenSize), \(URL(fileURLWithPath: position.trainFile).lastPathComponent)"
    }

    func saveCheckpoint() throws {
        let whole = state.gathered(across: communicator)
        guard communicator.isRoot else { return }
        let checkpoint = TrainingCheckpoint(position: position, parameters: model.store.namedTensors(), state: whole)
        try checkpoint.write(to: output)
    }
}
