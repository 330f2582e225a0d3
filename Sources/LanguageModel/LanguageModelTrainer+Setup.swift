import Foundation
import MessagePassing
import NeuralCore
import TextProcessing

/// Where a new run's vocabulary comes from.
public enum VocabularySource: Sendable {
    /// An existing `vocab.txt`.
    case file(String)
    /// Built from the training file: tokens seen at least `minCount` times, the most frequent first,
    /// at most `maxSize` tokens with the four specials.
    case build(minCount: Int, maxSize: Int?)
}

extension LanguageModelTrainer {
    /// Prepares a new run: checks the options and the data, builds or reads the vocabulary, locks
    /// `output` (created if needed), writes `vocab.txt` into it and initializes the model. Every
    /// problem with the user's input is an `InputError` naming the file; nothing is written before
    /// the checks pass.
    public static func start(train: String, valid: String, test: String?, output: String,
                             options: LanguageModelTrainingOptions, tokenizer settings: TokenizerSettings,
                             vocabulary source: VocabularySource,
                             communicator: any Communicator = SingleProcessCommunicator()) throws -> LanguageModelTrainer {
        if let problem = options.problem ?? sharingProblem(batchSize: options.training.batchSize, ranks: communicator.size) {
            throw InputError(problem)
        }
        // Subword pieces: codes learned on the training file's tokens; a built vocabulary then keeps
        // every character of the text whatever --min-count and --max-size say.
        let words = try options.bpeMerges.map { _ in
            try TokenCounts.count(files: [train], splitters: (0..<ChunkPipeline.defaultWorkers).map { _ in Tokenizer(settings: settings) }).counts
        }
        let codes = options.bpeMerges.flatMap { merges in words.map { BPELearner(merges: merges).learn(counts: $0) } }
        let vocabulary: Vocabulary
        switch source {
        case .file(let path):
            vocabulary = try Vocabulary(contentsOf: path)
        case .build(let minCount, let maxSize):
            if let codes, let words {
                vocabulary = Vocabulary.build(words: words, segmenter: BPESegmenter(codes: codes, settings: settings),
                                              minCount: minCount, maxSize: maxSize).vocabulary
            } else {
                vocabulary = try Vocabulary.build(files: [train], settings: settings, minCount: minCount, maxSize: maxSize).vocabulary
            }
        }
        let streams = try readStreams(train: train, valid: valid, test: test, tokenizer: settings, vocabulary: vocabulary,
                                      codes: codes, options: options)
        let lock = try TrainingLoop.claimNewRun(output, communicator: communicator)
        if communicator.isRoot {
            try vocabulary.write(to: output + "/vocab.txt")
            try codes?.write(to: output + "/" + codesFile)
        }
        let run = LanguageModelRun(options: options, tokenizer: settings, trainFile: train, validFile: valid, testFile: test,
                                   trainTokens: streams.train.count, trainHash: dataFingerprint([streams.train]))
        return try assemble(run, vocabulary: vocabulary, streams: streams, state: try TrainingState(learningRate: options.training.learningRate, task: run),
                            checkpoint: nil, output: output, lock: lock, communicator: communicator)
    }

    /// Continues the run whose `checkpoint.safetensors` is in `output`, from the exact step it
    /// stopped at (weights, Adam's state, hidden state, learning rate, data position). `changing`
    /// receives the stored options and returns the requested ones: a setting that differs is refused,
    /// naming it, except those `ResumeContract.mayChange`. The data files are the ones recorded
    /// unless given; the training stream must be the same.
    /// The number of ranks may differ from the run that wrote the checkpoint (the global batch is the same).
    public static func resume(output: String, changing: (LanguageModelTrainingOptions) -> LanguageModelTrainingOptions = { $0 },
                              train: String? = nil, valid: String? = nil, test: String? = nil,
                              communicator: any Communicator = SingleProcessCommunicator()) throws -> LanguageModelTrainer {
        let checkpoint = try TrainingCheckpoint.read(from: output)
        let resumed = try checkpoint.resumed(LanguageModelRun.self, output: output, changing: changing)
        var run = resumed.run
        if let problem = sharingProblem(batchSize: run.options.training.batchSize, ranks: communicator.size) { throw InputError(problem) }
        if let train { run.trainFile = train }
        if let valid { run.validFile = valid }
        if let test { run.testFile = test }
        let options = run.options
        let vocabulary = try Vocabulary(contentsOf: output + "/vocab.txt")
        let codes = options.bpeMerges == nil ? nil : try BPECodes(contentsOf: output + "/" + codesFile)
        let streams = try readStreams(train: run.trainFile, valid: run.validFile, test: run.testFile,
                                      tokenizer: run.tokenizer, vocabulary: vocabulary, codes: codes, options: options)
        guard streams.train.count == run.trainTokens && dataFingerprint([streams.train]) == run.trainHash else {
            throw InputError("the training data differs from the one the checkpoint was trained on (\(run.trainTokens) tokens then, \(streams.train.count) now); resume with the same --train file",
                             file: run.trainFile)
        }
        return try assemble(run, vocabulary: vocabulary, streams: streams, state: resumed.state, checkpoint: checkpoint, output: output,
                            lock: try TrainingLoop.lockOutput(output, communicator: communicator), communicator: communicator)
    }

    /// The model, its task and the loop of a new run (`checkpoint` nil) or of a resumed one.
    private static func assemble(_ run: LanguageModelRun, vocabulary: Vocabulary, streams: (train: [Int32], valid: [Int32], test: [Int32]?),
                                 state: TrainingState, checkpoint: TrainingCheckpoint?, output: String, lock: FolderLock?,
                                 communicator: any Communicator) throws -> LanguageModelTrainer {
        let o = run.options
        let config = LanguageModelConfig(cell: o.cell, embeddingSize: o.embeddingSize, hiddenSize: o.hiddenSize, numLayers: o.layers,
                                         vocabSize: vocabulary.count, tieWeights: o.tieWeights, tokenizer: run.tokenizer,
                                         bpeCodes: o.bpeMerges == nil ? nil : codesFile)
        let model = RNNLanguageModel(config: config, dropout: o.training.dropout, variationalDropout: o.variationalDropout,
                                     initRange: o.initRange, seed: o.training.seed)
        let task = LanguageModelTask(model: model, vocabulary: vocabulary, options: o, train: streams.train, valid: streams.valid,
                                     communicator: communicator)
        // A plateau schedule continues from the validations the run has seen.
        for record in state.records where record.split == .valid && record.partial != true {
            var ignored: Float = 0
            task.finishEpoch(validationLoss: record.loss, learningRate: &ignored)
        }
        let loop = try TrainingLoop(task: task, output: output, settings: o.training, state: state, checkpoint: checkpoint,
                                    communicator: communicator)
        loop.curveTitle = "\(o.layers)-layer \(o.cell.rawValue.uppercased()) \(o.hiddenSize), \(URL(fileURLWithPath: run.trainFile).lastPathComponent)"
        return LanguageModelTrainer(task: task, loop: loop, test: streams.test, lock: lock)
    }

    /// The codes file of a subword model, in its directory.
    public static let codesFile = "codes.bpe"

    /// The one-line error for a global batch the ranks cannot share, or nil.
    public static func sharingProblem(batchSize: Int, ranks: Int) -> String? {
        batchSize % ranks == 0 ? nil
            : "--batch-size \(batchSize) cannot be shared by \(ranks) processes: the global batch must be a multiple of the number of ranks (mpirun -np)"
    }

    /// Reads and checks the three streams (cut into the pieces of `codes` for a subword model).
    static func readStreams(train: String, valid: String, test: String?, tokenizer settings: TokenizerSettings, vocabulary: Vocabulary,
                            codes: BPECodes?, options: LanguageModelTrainingOptions) throws -> (train: [Int32], valid: [Int32], test: [Int32]?) {
        let tokenizer = Tokenizer(settings: settings)
        let segmenter = codes.map { BPESegmenter(codes: $0, settings: settings, vocabulary: vocabulary) }
        let trainStream = try TokenStream(path: train, tokenizer: tokenizer, vocabulary: vocabulary, segmenter: segmenter)
        if trainStream.count == trainStream.lines {
            throw InputError("the training file has no tokens; give a text file with one sentence or paragraph per line", file: train)
        }
        let columns = trainStream.count / options.training.batchSize
        if columns - 1 < options.bptt {
            throw InputError("--bptt \(options.bptt) is longer than the data: \(trainStream.count) tokens in \(options.training.batchSize) columns (--batch-size) give \(max(columns - 1, 0)) steps per column; lower --bptt or --batch-size",
                             file: train)
        }
        func evaluationStream(_ path: String, role: String) throws -> [Int32] {
            let stream = try TokenStream(path: path, tokenizer: tokenizer, vocabulary: vocabulary, segmenter: segmenter)
            try stream.requireKnownTokens(vocabulary, what: "the \(role) file", hint: "is it the same language and tokenizer as the training file?")
            return stream.ids
        }
        return (trainStream.ids, try evaluationStream(valid, role: "validation"), try test.map { try evaluationStream($0, role: "test") })
    }
}
