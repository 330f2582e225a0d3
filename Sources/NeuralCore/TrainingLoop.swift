import Foundation
import MessagePassing

/// The one training loop every model plugs into (JoeyNMT's `training.py`, llm.c's loop): epochs of
/// batches, and per step zero the gradients → the task's forward and backward →
/// `gradientReducer` (**the one place where a whole batch's gradients are complete**) → L2 penalty →
/// clipping → divergence check → optimizer step. After each epoch: validation, the best model
/// written to the output folder, metrics.jsonl and training-curve.svg, early stopping (`patience`
/// evaluations in a row without a new best), a checkpoint. `shouldStop` (Ctrl-C or SIGTERM by
/// default) saves a checkpoint after the current step; `TrainingCheckpoint` and `TrainingState`
/// hold everything a resumed run needs to continue bit for bit.
///
/// Data parallelism (docs/DESIGN.md, "Data-parallel training"): with a `communicator` of N ranks
/// every rank runs this loop on its share of each batch; `AllreduceGradients` sums the gradients at
/// the gradient-complete point, the weights start as rank 0's, validation runs on rank 0 and is
/// broadcast, the stop flag is agreed each step, and rank 0 alone writes files.
public final class TrainingLoop {
    public let task: TrainingTask
    public let output: String
    /// The processes training together (one, or an MPI job).
    public let communicator: any Communicator
    public private(set) var state: TrainingState
    /// The run's settings (a resumed run's come from its options, the one place they are stored).
    public let settings: TrainingSettings
    let optimizer: any Optimizer

    /// Sums gradients across processes (issue 13); one process: nothing to do.
    public var gradientReducer: GradientReducer = LocalGradients()
    /// Asked after every step; true saves a checkpoint and returns `.interrupted`.
    public var shouldStop: () -> Bool = { Interrupt.isRequested }
    /// Called after every step.
    public var onProgress: ((TrainingProgress) -> Void)?
    /// Called after every evaluation with its record.
    public var onEvaluation: ((EvaluationRecord) -> Void)?
    /// The title of training-curve.svg.
    public var curveTitle = "Training curve"
    /// Whether this process writes files (rank 0 of a data-parallel run).
    public var writesFiles: Bool { communicator.isRoot }

    /// A new run (`checkpoint` nil) or the continuation of the one in `checkpoint`, whose state is
    /// `state`.
    public init(task: TrainingTask, output: String, settings: TrainingSettings, state: TrainingState, checkpoint: TrainingCheckpoint? = nil,
                communicator: any Communicator = SingleProcessCommunicator()) throws {
        self.task = task
        self.output = output
        self.state = state
        self.settings = settings
        self.communicator = communicator
        optimizer = settings.optimizer.make(store: task.store, learningRate: state.learningRate)
        if let checkpoint {
            let file = output + "/" + TrainingCheckpoint.fileName
            try task.store.load(checkpoint.tensors(under: "param.").map { ($0.key, $0.value) }, file: file)
            try optimizer.restore(checkpoint.tensors(under: ""), steps: state.optimizerSteps, file: file)
            try task.restoreCarriedState(checkpoint.tensors(under: "state."), file: file)
        }
        if communicator.size > 1 { gradientReducer = AllreduceGradients(communicator: communicator) }
        try task.store.synchronize(across: communicator)
    }

    /// Trains until every epoch has run, early stopping, `maxSteps`, or `shouldStop`.
    @discardableResult
    public func run() throws -> TrainingState.Stop {
        let store = task.store, s = settings
        state.stop = nil
        var sessionSteps = 0, sessionSeconds = 0.0
        var stop: TrainingState.Stop?
        epochs: while state.epoch <= s.epochs {
            let batches = task.batchCount(epoch: state.epoch)
            if state.batch == 0 && state.epochTokens == 0 { task.startEpoch(state.epoch, learningRate: &state.learningRate) }
            optimizer.learningRate = state.learningRate
            while state.batch < batches {
                if let limit = s.maxSteps, state.step >= limit { stop = .stepLimit; break }
                let start = DispatchTime.now().uptimeNanoseconds
                store.zeroGradients()
                var loss = task.accumulateGradients(epoch: state.epoch, batch: state.batch, dropout: DropoutKey(seed: s.seed, step: state.step))
                gradientReducer.reduce(gradients: store.allGradients, loss: &loss)
                if s.l2 > 0 { store.addL2Penalty(s.l2) }
                let norm = s.clip > 0 ? store.clipGradientNorm(s.clip) : store.gradientNorm()
                guard loss.sum.isFinite, norm.isFinite else {
                    throw TrainingDiverged(step: state.step + 1, epoch: state.epoch, learningRate: state.learningRate,
                                           output: output, bestLoss: state.bestLoss)
                }
                optimizer.step()
                task.finishStep()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                state.batch += 1
                state.step += 1
                state.epochLoss += loss.sum
                state.epochTokens += loss.tokens
                state.epochSeconds += seconds
                state.elapsedSeconds += seconds
                sessionSteps += 1
                sessionSeconds += seconds
                if let onProgress {
                    var remaining = (s.epochs - state.epoch) * batches + (batches - state.batch)  // later epochs: about as many
                    if let limit = s.maxSteps { remaining = min(remaining, limit - state.step) }
                    onProgress(TrainingProgress(epoch: state.epoch, epochs: s.epochs, batch: state.batch, batches: batches, step: state.step,
                                                loss: state.epochLoss / Double(max(state.epochTokens, 1)),
                                                tokensPerSecond: Double(state.epochTokens) / max(state.epochSeconds, 1e-9),
                                                secondsLeft: Double(remaining) * sessionSeconds / Double(sessionSteps)))
                }
                if agreedStop() {
                    state.stop = .interrupted
                    try saveCheckpoint()
                    return .interrupted
                }
            }
            if stop == .stepLimit && state.batch < batches {
                // Stopped inside an epoch: evaluate where we are, but leave schedules and early
                // stopping to whole epochs so that a resumed run follows the same path.
                if state.epochTokens > 0 { try evaluate(complete: false, batches: batches) }
                break epochs
            }
            let record = try evaluate(complete: true, batches: batches)
            task.finishEpoch(validationLoss: record.loss, learningRate: &state.learningRate)
            let stopEarly = record.best != true && s.patience.map { state.evaluationsWithoutImprovement >= $0 } ?? false
            state.epoch += 1
            state.batch = 0
            state.epochLoss = 0
            state.epochTokens = 0
            state.epochSeconds = 0
            if stopEarly { stop = .earlyStopped; break }
            if let limit = s.maxSteps, state.step >= limit { stop = .stepLimit; break }
            if state.epoch <= s.epochs { try saveCheckpoint() }
        }
        state.stop = stop ?? .finished
        try saveCheckpoint()
        return state.stop!
    }

    /// Validates the current weights; writes the model when it is the best so far (BLEU when the
    /// validation has it, else the loss), appends the record to metrics.jsonl and redraws the curve.
    @discardableResult
    func evaluate(complete: Bool, batches: Int) throws -> EvaluationRecord {
        let validation = shared(task.validate)
        let trainLoss = state.epochLoss / Double(max(state.epochTokens, 1))
        var record = EvaluationRecord(split: validation == nil ? .train : .valid,
                                      epoch: complete ? Double(state.epoch) : state.epochProgress(batches: batches),
                                      step: state.step, loss: validation?.loss ?? trainLoss, tokens: validation?.tokens ?? state.epochTokens)
        record.bleu = validation?.bleu
        if !complete { record.partial = true }
        record.learningRate = Double(state.learningRate)
        record.trainLoss = trainLoss
        record.trainPerplexity = Foundation.exp(trainLoss)
        record.tokensPerSecond = Double(state.epochTokens) / max(state.epochSeconds, 1e-9)
        record.epochSeconds = state.epochSeconds
        record.elapsedSeconds = state.elapsedSeconds
        let improved: Bool
        if let bleu = record.bleu {
            improved = bleu > (state.bestBleu ?? -.infinity)
        } else {
            improved = record.loss.isFinite && record.loss < (state.bestLoss ?? .infinity)
        }
        record.best = improved
        if improved {
            state.bestLoss = record.loss
            state.bestBleu = record.bleu
            if writesFiles { try task.saveModel(to: output) }
        }
        if complete { state.evaluationsWithoutImprovement = improved ? 0 : state.evaluationsWithoutImprovement + 1 }
        try append(record)
        return record
    }

    /// Adds a record (e.g. a final test evaluation) to metrics.jsonl, the curve and the checkpoint.
    public func append(_ record: EvaluationRecord) throws {
        state.records.append(record)
        if writesFiles {
            try AtomicFile.write(EvaluationRecord.jsonLines(state.records), to: output + "/metrics.jsonl")
            try AtomicFile.write(TrainingCurve.svg(state.records, title: curveTitle), to: output + "/" + TrainingCurve.fileName)
        }
        onEvaluation?(record)
    }

    /// Whether any rank's `shouldStop` is true (one small allreduce per step), so all stop together.
    func agreedStop() -> Bool {
        let mine: Int64 = shouldStop() ? 1 : 0
        return (communicator.size > 1 ? communicator.allreduceSum(mine) : mine) > 0
    }

    /// `compute` run on rank 0 alone and its result broadcast (validation: a batch-1 perplexity
    /// carries one state through the whole stream and cannot be split). Every rank must call it.
    public func shared(_ compute: () throws -> Validation?) rethrows -> Validation? {
        let result = communicator.isRoot ? try compute() : nil
        guard communicator.size > 1 else { return result }
        var values: [Double] = [0, 0, 0, 0, 0]
        if let result { values = [1, result.loss, Double(result.tokens), result.bleu == nil ? 0 : 1, result.bleu ?? 0] }
        communicator.broadcast(&values)
        guard values[0] == 1 else { return nil }
        return Validation(loss: values[1], tokens: Int(values[2]), bleu: values[3] == 1 ? values[4] : nil)
    }

    /// Writes `checkpoint.safetensors` (rank 0; every rank must call it, the carried state is gathered).
    public func saveCheckpoint() throws {
        let carried = task.carriedState
        guard writesFiles else { return }
        let (optimizerTensors, steps) = optimizer.checkpointState
        state.optimizerSteps = steps
        var tensors = task.store.namedTensors().map { (name: "param." + $0.name, tensor: $0.tensor) }
        tensors += optimizerTensors
        tensors += carried.map { (name: "state." + $0.name, tensor: $0.tensor) }
        try TrainingCheckpoint.write(state: state, tensors: tensors, to: output)
    }
}
