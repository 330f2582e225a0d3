import Foundation
import MessagePassing
import NeuralCore
import TextProcessing

/// What a translator's training run was started on, kept in its checkpoint (`TrainingState.task`).
struct TranslationRun: TrainingRunDescription {
    var options: TranslationTrainingOptions
    var files: TranslationFiles?
    /// Size and fingerprint of the encoded training pairs, to refuse resuming on other data.
    var trainPairs: Int
    var trainHash: String

    enum CodingKeys: String, CodingKey {
        case options, files
        case trainPairs = "train_pairs", trainHash = "train_hash"
    }
}

/// The translator's part of training (`TrainingTask`): seeded, length-bucketed batches of sentence
/// pairs shuffled per epoch, the teacher-forced loss-and-gradient step, and validation by the
/// forward-only loss and greedy BLEU (sacreBLEU, lowercased), which selects the best model.
/// In a data-parallel run every rank makes the same global batches and trains its consecutive share
/// of each, balanced by tokens (`balancedShares`); a rank whose share is empty adds nothing and still
/// takes part in the loop's collectives.
final class TranslationTask: TrainingTask {
    let model: TranslationModel
    let data: TranslationData
    let options: TranslationTrainingOptions
    let workspace: TranslatorWorkspace
    let communicator: any Communicator
    private var batches: (epoch: Int, batches: SentenceBatches)?

    init(model: TranslationModel, data: TranslationData, options: TranslationTrainingOptions,
         communicator: any Communicator = SingleProcessCommunicator()) {
        self.model = model
        self.data = data
        self.options = options
        self.communicator = communicator
        workspace = TranslatorWorkspace(model.translator.architecture)
    }

    var store: ParameterStore { model.translator.store }

    /// The batches of `epoch` (shuffled with the seed and the epoch).
    func batches(epoch: Int) -> SentenceBatches {
        if let batches, batches.epoch == epoch { return batches.batches }
        let specials = model.targetSpecials
        let made = SentenceBatches(pairs: data.pairs, batchSize: options.training.batchSize, tokenBudget: options.batchTokens,
                                   pad: specials.pad, bos: specials.bos, eos: specials.eos, seed: options.training.seed &+ UInt64(epoch))
        batches = (epoch, made)
        return made
    }

    func batchCount(epoch: Int) -> Int { batches(epoch: epoch).count }

    func accumulateGradients(epoch: Int, batch: Int, dropout: DropoutKey) -> StepLoss {
        let all = batches(epoch: epoch)
        var group = all.groups[batch], key = dropout
        if communicator.size > 1 {
            let costs = group.map { data.pairs[$0].source.count + data.pairs[$0].target.count + 2 }
            let share = balancedShares(costs: costs, parts: communicator.size)[communicator.rank]
            guard !share.isEmpty else { return StepLoss(sum: 0, tokens: 0) }
            group = Array(group[share])
            key.firstPosition = share.lowerBound  // row b here is row lowerBound + b of the global batch
        }
        let (loss, tokens) = model.translator.accumulateGradients(all.batch(group), dropout: options.training.dropout,
                                                                  key: key, workspace: workspace)
        return StepLoss(sum: Double(loss) * Double(tokens), tokens: tokens)
    }

    func validate() -> Validation? {
        guard !data.validPairs.isEmpty else { return nil }
        let specials = model.targetSpecials
        var sum = 0.0, tokens = 0
        for batch in SentenceBatches(pairs: data.validPairs, batchSize: 64, pad: specials.pad, bos: specials.bos, eos: specials.eos) {
            let (loss, count) = model.translator.loss(batch, workspace: workspace)
            sum += Double(loss) * Double(count)
            tokens += count
        }
        let hypotheses = model.decode(data.validPairs.map(\.source)).map { model.text(model.targetVocabulary.decode($0.tokens)) }
        let bleu = BLEU(hypotheses: hypotheses, references: data.validReferences, lowercase: true).score
        return Validation(loss: sum / Double(Swift.max(tokens, 1)), tokens: tokens, bleu: bleu)
    }

    func saveModel(to folder: String) throws { try model.save(to: folder) }
}

/// Trains a `TranslationModel` with the shared `TrainingLoop` (Adam or SGD, gradient clipping, L2;
/// after each epoch validation loss and BLEU; the best model by validation BLEU, or by training loss
/// without validation files, kept in the output folder; early stopping; metrics.jsonl,
/// training-curve.svg and checkpoint.safetensors to resume). The folder is locked while it lives.
public final class TranslationTrainer {
    let task: TranslationTask
    public let loop: TrainingLoop
    let lock: FolderLock?

    /// The model's task and loop, of a new run (`checkpoint` nil) or of a resumed one.
    private init(model: TranslationModel, data: TranslationData, options: TranslationTrainingOptions, files: TranslationFiles?,
                 state: TrainingState, checkpoint: TrainingCheckpoint?, output: String, lock: FolderLock?,
                 communicator: any Communicator) throws {
        self.lock = lock
        task = TranslationTask(model: model, data: data, options: options, communicator: communicator)
        loop = try TrainingLoop(task: task, output: output, settings: options.training, state: state, checkpoint: checkpoint,
                                communicator: communicator)
        let a = model.config.architecture
        loop.curveTitle = "\(a.cell.rawValue.uppercased()) E \(a.embeddingSize) H \(a.hiddenSize) L \(a.numLayers)"
            + (files.map { ", " + URL(fileURLWithPath: $0.source).lastPathComponent } ?? "")
    }

    public var model: TranslationModel { task.model }
    public var data: TranslationData { task.data }
    public var options: TranslationTrainingOptions { task.options }

    /// Prepares a new run from files: reads and tokenizes the corpora, builds both vocabularies,
    /// encodes and filters the pairs, initializes the model, locks `output` (created if needed) and
    /// writes the vocabularies there. Every problem is an `InputError` naming the file. With several
    /// ranks (`communicator`) each reads the files itself; rank 0 alone locks and writes.
    public static func start(files: TranslationFiles, options: TranslationTrainingOptions, output: String,
                             communicator: any Communicator = SingleProcessCommunicator()) throws -> TranslationTrainer {
        if let problem = options.problem { throw InputError(problem) }
        let corpus = try TranslationData.readCorpus(files, options: options)
        let codes = TranslationData.codes(corpus, options: options)
        let (source, target) = TranslationData.vocabularies(corpus, options: options, codes: codes)
        let config = options.config(sourceVocabSize: source.count, targetVocabSize: target.count)
        let model = TranslationModel(config: config, translator: Translator(config.architecture, seed: options.training.seed),
                                     sourceVocabulary: source, targetVocabulary: target, sourceCodes: codes.source, targetCodes: codes.target)
        let data = try TranslationData(corpus: corpus, files: files, options: options, source: source, target: target,
                                       sourcePieces: model.sourcePieces, targetPieces: model.targetPieces)
        return try start(model: model, data: data, options: options, output: output, files: files, communicator: communicator)
    }

    /// A new run of `model` on prepared data (`files` only recorded for `--resume`). The architecture
    /// and the tokenizer are taken from the model, whose config the options must then describe.
    public static func start(model: TranslationModel, data: TranslationData, options: TranslationTrainingOptions, output: String,
                             files: TranslationFiles? = nil,
                             communicator: any Communicator = SingleProcessCommunicator()) throws -> TranslationTrainer {
        var options = options
        let a = model.config.architecture
        options.cell = TranslatorCell(a.cell) ?? options.cell
        options.layers = a.numLayers
        options.embeddingSize = a.embeddingSize
        options.hiddenSize = a.hiddenSize
        options.bidirectional = a.bidirectionalEncoder
        options.maxOutputRatio = a.maxOutputRatio
        options.tokenizer = model.config.sourceTokenizer
        guard options.config(sourceVocabSize: a.sourceVocabSize, targetVocabSize: a.targetVocabSize) == model.config else {
            throw InputError("the training options do not describe the model's config (cell, tokenizers, byte-pair codes); a run keeps its options alone")
        }
        if let problem = options.problem { throw InputError(problem) }
        let lock = try TrainingLoop.claimNewRun(output, communicator: communicator)
        if communicator.isRoot {
            try model.sourceVocabulary.write(to: output + "/source.vocab.txt")
            try model.targetVocabulary.write(to: output + "/target.vocab.txt")
            try model.writeCodes(to: output)
        }
        let run = TranslationRun(options: options, files: files, trainPairs: data.pairs.count, trainHash: data.fingerprint)
        return try TranslationTrainer(model: model, data: data, options: options, files: files,
                                      state: try TrainingState(learningRate: options.training.learningRate, task: run), checkpoint: nil,
                                      output: output, lock: lock, communicator: communicator)
    }

    /// Continues the run whose checkpoint is in `output` exactly where it stopped (weights, Adam's
    /// state, data position, step). `changing` receives the stored options and returns the requested
    /// ones: a setting that differs is refused, naming it, except those `ResumeContract.mayChange`.
    /// The corpora are read again from the recorded files (or `data`, for runs started from data).
    public static func resume(output: String, changing: (TranslationTrainingOptions) -> TranslationTrainingOptions = { $0 },
                              data given: TranslationData? = nil,
                              communicator: any Communicator = SingleProcessCommunicator()) throws -> TranslationTrainer {
        let checkpoint = try TrainingCheckpoint.read(from: output)
        let file = output + "/" + TrainingCheckpoint.fileName
        let (state, run) = try checkpoint.resumed(TranslationRun.self, output: output, changing: changing)
        let source = try Vocabulary(contentsOf: output + "/source.vocab.txt")
        let target = try Vocabulary(contentsOf: output + "/target.vocab.txt")
        let config = run.options.config(sourceVocabSize: source.count, targetVocabSize: target.count)
        let codes = try TranslationModel.codes(of: config, in: output)
        let model = TranslationModel(config: config, translator: Translator(config.architecture),
                                     sourceVocabulary: source, targetVocabulary: target, sourceCodes: codes.source, targetCodes: codes.target)
        let data: TranslationData
        if let given {
            data = given
        } else if let files = run.files {
            data = try TranslationData(corpus: try TranslationData.readCorpus(files, options: run.options), files: files,
                                       options: run.options, source: source, target: target,
                                       sourcePieces: model.sourcePieces, targetPieces: model.targetPieces)
        } else {
            throw InputError("this run was started from data in memory; resume it with that data", file: file)
        }
        guard data.pairs.count == run.trainPairs && data.fingerprint == run.trainHash else {
            throw InputError("the training data differs from the one the checkpoint was trained on (\(run.trainPairs) pairs then, \(data.pairs.count) now)",
                             file: run.files?.source ?? file)
        }
        return try TranslationTrainer(model: model, data: data, options: run.options, files: run.files, state: state, checkpoint: checkpoint,
                                      output: output, lock: try TrainingLoop.lockOutput(output, communicator: communicator),
                                      communicator: communicator)
    }

    /// Trains until every epoch has run, early stopping, `maxSteps`, or `shouldStop`.
    @discardableResult
    public func run() throws -> TrainingState.Stop { try loop.run() }
}
