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

/// What `--resume` may change about a run.
public struct ResumeOverrides: Sendable {
    public var epochs: Int?
    public var maxSteps: Int?
    public var patience: Int?
    public init(epochs: Int? = nil, maxSteps: Int? = nil, patience: Int? = nil) {
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.patience = patience
    }
}

extension LanguageModelTrainer {
    /// Prepares a new run: checks the options and the data, builds or reads the vocabulary, writes
    /// `vocab.txt` into `output` (created if needed) and initializes the model. Every problem with
    /// the user's input is an `InputError` naming the file; nothing is written before the checks pass.
    /// With several ranks (`communicator`), each reads the files itself and rank 0 alone writes.
    public static func start(train: String, valid: String, test: String?, output: String,
                             options: LanguageModelTrainingOptions, tokenizer settings: TokenizerSettings,
                             vocabulary source: VocabularySource,
                             communicator: any Communicator = SingleProcessCommunicator()) throws -> LanguageModelTrainer {
        if let problem = options.problem ?? sharingProblem(batchSize: options.batchSize, ranks: communicator.size) {
            throw InputError(problem)
        }
        for name in [TrainingCheckpoint.fileName, "model.safetensors"] where FileManager.default.fileExists(atPath: output + "/" + name) {
            throw InputError("already holds a training run (\(name)); continue it with --resume, or choose another --output", file: output)
        }
        let vocabulary: Vocabulary
        switch source {
        case .file(let path):
            vocabulary = try Vocabulary(contentsOf: path)
        case .build(let minCount, let maxSize):
            vocabulary = try Vocabulary.build(files: [train], settings: settings, minCount: minCount, maxSize: maxSize).vocabulary
        }
        let tokenizer = Tokenizer(settings: settings)
        let streams = try readStreams(train: train, valid: valid, test: test, tokenizer: tokenizer, vocabulary: vocabulary,
                                      options: options)
        if communicator.isRoot {
            try createFolder(output)
            try vocabulary.write(to: output + "/vocab.txt")
        }
        let config = LanguageModelConfig(cell: options.cell, embeddingSize: options.embeddingSize, hiddenSize: options.hiddenSize,
                                         numLayers: options.layers, vocabSize: vocabulary.count, tieWeights: options.tieWeights,
                                         tokenizer: settings)
        let model = RNNLanguageModel(config: config, dropout: options.dropout, initRange: options.initRange, seed: options.seed)
        let position = TrainingPosition(options: options, tokenizer: settings, trainFile: train, validFile: valid, testFile: test,
                                        trainStream: streams.train)
        return try LanguageModelTrainer(model: model, vocabulary: vocabulary, output: output, position: position,
                                        train: streams.train, valid: streams.valid, test: streams.test, communicator: communicator)
    }

    /// Continues the run whose `checkpoint.safetensors` is in `output`, from the exact step it
    /// stopped at (weights, hidden state, learning rate, random generator, data position). The data
    /// files are the ones recorded unless given; the training stream must be the same. The number of
    /// ranks may differ from the run that wrote the checkpoint (the global batch is the same).
    public static func resume(output: String, overrides: ResumeOverrides = ResumeOverrides(),
                              train: String? = nil, valid: String? = nil, test: String? = nil,
                              communicator: any Communicator = SingleProcessCommunicator()) throws -> LanguageModelTrainer {
        let checkpoint = try TrainingCheckpoint.read(from: output)
        var position = checkpoint.position
        if let epochs = overrides.epochs { position.options.epochs = epochs }
        if let maxSteps = overrides.maxSteps { position.options.maxSteps = maxSteps }
        if let patience = overrides.patience { position.options.patience = patience }
        if let problem = position.options.problem ?? sharingProblem(batchSize: position.options.batchSize, ranks: communicator.size) {
            throw InputError(problem)
        }
        let options = position.options
        switch position.stop {
        case .finished? where position.epoch > options.epochs:
            throw InputError("training already finished its \(options.epochs) epochs; pass a larger --epochs to train on", file: output)
        case .earlyStopped? where overrides.patience == nil:
            throw InputError("training stopped early (validation perplexity stopped improving); pass a larger --patience to train on", file: output)
        case .stepLimit? where options.maxSteps.map({ position.step >= $0 }) ?? false:
            throw InputError("training already ran its \(options.maxSteps!) steps; pass a larger --max-steps to train on", file: output)
        default:
            break
        }
        if let train { position.trainFile = train }
        if let valid { position.validFile = valid }
        if let test { position.testFile = test }
        let vocabulary = try Vocabulary(contentsOf: output + "/vocab.txt")
        let streams = try readStreams(train: position.trainFile, valid: position.validFile, test: position.testFile,
                                      tokenizer: Tokenizer(settings: position.tokenizer), vocabulary: vocabulary, options: options)
        let hash = String(TrainingPosition.fingerprint(streams.train))
        guard streams.train.count == position.trainTokens && hash == position.trainHash else {
            throw InputError("the training data differs from the one the checkpoint was trained on (\(position.trainTokens) tokens then, \(streams.train.count) now); resume with the same --train file",
                             file: position.trainFile)
        }
        let config = LanguageModelConfig(cell: options.cell, embeddingSize: options.embeddingSize, hiddenSize: options.hiddenSize,
                                         numLayers: options.layers, vocabSize: vocabulary.count, tieWeights: options.tieWeights,
                                         tokenizer: position.tokenizer)
        let expected = [options.layers, options.batchSize, options.hiddenSize]
        guard checkpoint.state.h.shape == expected, (checkpoint.state.c == nil) == !options.cell.hasCellState,
              checkpoint.state.c.map({ $0.shape == expected }) ?? true else {
            throw InputError("the checkpoint's hidden state has shape \(checkpoint.state.h.shape), not \(expected)",
                             file: output + "/" + TrainingCheckpoint.fileName)
        }
        let model = RNNLanguageModel(config: config, dropout: options.dropout, initRange: options.initRange, seed: options.seed)
        return try LanguageModelTrainer(model: model, vocabulary: vocabulary, output: output, position: position,
                                        train: streams.train, valid: streams.valid, test: streams.test, checkpoint: checkpoint,
                                        communicator: communicator)
    }

    /// Reads and checks the three streams.
    static func readStreams(train: String, valid: String, test: String?, tokenizer: Tokenizer, vocabulary: Vocabulary,
                            options: LanguageModelTrainingOptions) throws -> (train: [Int32], valid: [Int32], test: [Int32]?) {
        let trainStream = try TokenStream(path: train, tokenizer: tokenizer, vocabulary: vocabulary)
        if trainStream.count == trainStream.lines {
            throw InputError("the training file has no tokens; give a text file with one sentence or paragraph per line", file: train)
        }
        let columns = trainStream.count / options.batchSize
        if columns - 1 < options.bptt {
            throw InputError("--bptt \(options.bptt) is longer than the data: \(trainStream.count) tokens in \(options.batchSize) columns (--batch-size) give \(max(columns - 1, 0)) steps per column; lower --bptt or --batch-size",
                             file: train)
        }
        func evaluationStream(_ path: String, role: String) throws -> [Int32] {
            let stream = try TokenStream(path: path, tokenizer: tokenizer, vocabulary: vocabulary)
            if stream.count < 2 || stream.count == stream.lines {
                throw InputError("the \(role) file has no tokens", file: path)
            }
            if stream.knownCount(vocabulary) == 0 {
                throw InputError("the \(role) file has no word the vocabulary knows (every token would be <unk>); is it the same language and tokenizer as the training file?",
                                 file: path)
            }
            return stream.ids
        }
        return (trainStream.ids, try evaluationStream(valid, role: "validation"), try test.map { try evaluationStream($0, role: "test") })
    }

    static func createFolder(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw InputError("exists and is not a folder", file: path) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw InputError("cannot create the output folder", file: path)
        }
    }
}
