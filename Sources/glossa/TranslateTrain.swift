import ArgumentParser
import Foundation
import NeuralCore
import TextProcessing
import Translation

/// `glossa translate train`: an attention translator from line-aligned sentence pairs.
struct TranslateTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an attention encoder–decoder on line-aligned sentence pairs.",
        discussion: """
        Writes DIR/config.json, DIR/model.safetensors, DIR/source.vocab.txt and DIR/target.vocab.txt \
        (the best model by validation BLEU, or by training loss without validation files), \
        DIR/metrics.jsonl (one line per epoch), DIR/learning-curve.svg, and DIR/training/ to resume \
        an interrupted run with --resume (Ctrl-C stops after the current batch and saves). Both \
        sides keep punctuation; the ICU tokenizer case-folds unless --no-casefold. With --bpe N the \
        tokens are cut into subword pieces by N byte-pair encoding merges learned on both sides \
        (DIR/codes.bpe, as subword-nmt learn-bpe writes it; --source-bpe / --target-bpe for codes of \
        their own), the vocabularies keep every character, and translations are joined back into words.
        """
    )

    @Option(help: "Source sentences, one per line.") var source: String
    @Option(help: "Target sentences, line-aligned with --source.") var target: String
    @Option(help: "Validation source sentences.") var validSource: String?
    @Option(help: "Validation target sentences (BLEU references).") var validTarget: String?
    @Option(help: "The model directory to write.") var output: String

    @Option(help: "Recurrent cell: gru, lstm or rnn_tanh.") var cell = "gru"
    @Option(help: "Layers of the encoder and of the decoder.") var layers = 1
    @Option(help: "Embedding size E.") var embed = 256
    @Option(help: "Hidden size H (each encoder direction gets H/2 when bidirectional).") var hidden = 512
    @Flag(inversion: .prefixedNo, help: "Bidirectional encoder.") var bidirectional = true
    @Option(help: "Dropout on embeddings and on [z_t; c_t].") var dropout: Float = 0.3
    @Option(help: "adam or sgd.") var optimizer = "adam"
    @Option(help: "Learning rate.") var lr: Float = 1e-3
    @Option(help: "Clip the gradient norm to this (0: no clipping).") var clip: Float = 1
    @Option(help: "L2 penalty λ (objective = loss + λ‖W‖²).") var l2: Float = 0
    @Option(help: "Sentence pairs per batch.") var batchSize = 64
    @Option(help: "Instead of a fixed count, fill batches up to this many padded tokens.") var batchTokens: Int?
    @Option(help: "Epochs.") var epochs = 15
    @Option(help: "Stop after this many epochs without a better validation score.") var patience = 3
    @Option(help: "Skip pairs with a side longer than this many tokens (they are counted).") var maxLength = 50
    @Option(help: "Decoding stops after ⌈r·n⌉ + 5 tokens for n source tokens.") var maxOutputRatio = 1.5
    @Option(help: "icu or whitespace.") var tokenizer: TokenizerSettings.Kind = .icu
    @Flag(help: "ICU tokenizer without case folding.") var noCasefold = false
    @Option(help: "Keep tokens seen at least this often (both sides; see --source-min-count, --target-min-count).") var minCount = 2
    @Option(help: "Keep source tokens seen at least this often (default: --min-count).") var sourceMinCount: Int?
    @Option(help: "Keep target tokens seen at least this often (default: --min-count).") var targetMinCount: Int?
    @Option(help: "At most this many tokens per vocabulary (both sides).") var maxSize: Int?
    @Option(help: "At most this many source tokens in the vocabulary.") var sourceMaxSize: Int?
    @Option(help: "At most this many target tokens in the vocabulary.") var targetMaxSize: Int?
    @Option(help: "Subword pieces: learn this many byte-pair encoding merges on both sides' tokens together (joint codes, kept in the model directory).") var bpe: Int?
    @Option(help: "Subword pieces on the source side with codes of their own: this many merges.") var sourceBpe: Int?
    @Option(help: "Subword pieces on the target side with codes of their own: this many merges.") var targetBpe: Int?
    @Option(help: "Seed of initialization, shuffling and dropout.") var seed: UInt64 = 1
    @Flag(help: "Continue the interrupted run in --output.") var resume = false
    @Option(help: "OpenBLAS threads (default: all cores).") var threads: Int?

    func validate() throws {
        guard RecurrentCell(rawValue: cell).map({ [.gru, .lstm, .rnnTanh].contains($0) }) == true else {
            throw ValidationError("--cell must be gru, lstm or rnn_tanh, not \(cell)")
        }
        guard ["adam", "sgd"].contains(optimizer) else { throw ValidationError("--optimizer must be adam or sgd, not \(optimizer)") }
        guard layers >= 1, embed >= 1, hidden >= 1 else { throw ValidationError("--layers, --embed and --hidden must be positive") }
        guard !bidirectional || hidden % 2 == 0 else { throw ValidationError("--hidden must be even with a bidirectional encoder") }
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        guard lr > 0, clip >= 0, l2 >= 0 else { throw ValidationError("--lr must be positive, --clip and --l2 not negative") }
        guard batchSize >= 1, (batchTokens ?? 1) >= 1, epochs >= 1, patience >= 1, maxLength >= 1 else {
            throw ValidationError("--batch-size, --batch-tokens, --epochs, --patience and --max-length must be at least 1")
        }
        guard (validSource == nil) == (validTarget == nil) else {
            throw ValidationError("give both --valid-source and --valid-target, or neither")
        }
        guard tokenizer == .icu || !noCasefold else { throw ValidationError("--no-casefold applies to --tokenizer icu only") }
        guard bpe == nil || (sourceBpe == nil && targetBpe == nil) else {
            throw ValidationError("give --bpe (joint codes) or --source-bpe / --target-bpe (separate codes), not both")
        }
        guard [bpe, sourceBpe, targetBpe].allSatisfy({ ($0 ?? 1) >= 1 }) else { throw ValidationError("--bpe, --source-bpe and --target-bpe must be at least 1") }
        guard !resume || [bpe, sourceBpe, targetBpe].allSatisfy({ $0 == nil }) else {
            throw ValidationError("--resume continues with the codes in --output; leave out --bpe, --source-bpe and --target-bpe")
        }
    }

    func run() throws {
        if let threads {
            BlasThreads.count = threads
            neuralCoreUsesBothCores = threads > 1
        }
        let settings: TokenizerSettings = tokenizer == .icu ? .icu(casefold: !noCasefold, keepPunctuation: true) : .whitespace
        let sourceTokenizer = Tokenizer(settings: settings), targetTokenizer = Tokenizer(settings: settings)
        let model: TranslationModel
        let corpus = try ParallelCorpus(sourcePath: source, targetPath: target, sourceTokenizer: sourceTokenizer, targetTokenizer: targetTokenizer)
        if resume {
            model = try TranslationModel.load(from: output)
        } else {
            // Subword codes (joint or per side), learned on the training tokens; the vocabularies then
            // hold pieces, and every character of the training text whatever the cut-offs say.
            let jointCodes = bpe.map { ParallelCorpus.learnCodes([corpus.sources, corpus.targets], merges: $0) }
            let sourceCodes = jointCodes ?? sourceBpe.map { ParallelCorpus.learnCodes([corpus.sources], merges: $0) }
            let targetCodes = jointCodes ?? targetBpe.map { ParallelCorpus.learnCodes([corpus.targets], merges: $0) }
            func vocabulary(_ sentences: [[String]], _ codes: BPECodes?, minCount: Int, maxSize: Int?) -> Vocabulary {
                guard let codes else { return ParallelCorpus.vocabulary(sentences, minCount: minCount, maxSize: maxSize) }
                return ParallelCorpus.subwordVocabulary(sentences, segmenter: BPESegmenter(codes: codes, glossaries: settings.protectedTokens),
                                                        minCount: minCount, maxSize: maxSize)
            }
            let sourceVocabulary = vocabulary(corpus.sources, sourceCodes, minCount: sourceMinCount ?? minCount, maxSize: sourceMaxSize ?? maxSize)
            let targetVocabulary = vocabulary(corpus.targets, targetCodes, minCount: targetMinCount ?? minCount, maxSize: targetMaxSize ?? maxSize)
            let architecture = TranslatorArchitecture(
                cell: RecurrentCell(rawValue: cell)!, embeddingSize: embed, hiddenSize: hidden, numLayers: layers,
                bidirectionalEncoder: bidirectional, sourceVocabSize: sourceVocabulary.count,
                targetVocabSize: targetVocabulary.count, maxOutputRatio: maxOutputRatio)
            try architecture.validate()
            let config = TranslatorConfig(architecture: architecture, sourceTokenizer: settings, targetTokenizer: settings,
                                          sourceBPECodes: sourceCodes == nil ? nil : jointCodes != nil ? "codes.bpe" : "source.codes.bpe",
                                          targetBPECodes: targetCodes == nil ? nil : jointCodes != nil ? "codes.bpe" : "target.codes.bpe")
            model = TranslationModel(config: config, translator: Translator(architecture, seed: seed),
                                     sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary,
                                     sourceCodes: sourceCodes, targetCodes: targetCodes)
        }
        let (pairs, _, skipped) = corpus.mapped(source: model.sourcePieces, target: model.targetPieces).encoded(source: model.sourceVocabulary, target: model.targetVocabulary, maxLength: maxLength)
        guard !pairs.isEmpty else {
            throw InputError("no sentence pair has both sides non-empty and at most \(maxLength) tokens (--max-length)", file: source)
        }
        var validPairs: [(source: [Int32], target: [Int32])] = [], validReferences: [String] = []
        if let validSource, let validTarget {
            let valid = try ParallelCorpus(sourcePath: validSource, targetPath: validTarget, sourceTokenizer: sourceTokenizer, targetTokenizer: targetTokenizer)
            for i in 0..<valid.count where !valid.sources[i].isEmpty {
                validPairs.append((model.sourceVocabulary.encode(model.sourcePieces(valid.sources[i])),
                                   model.targetVocabulary.encode(model.targetPieces(valid.targets[i]))))
                validReferences.append(valid.rawTargets[i])
            }
        }
        let a = model.config.architecture
        printError("glossa translate train: \(pairs.count) pairs (\(skipped) skipped: empty or longer than \(maxLength) tokens), "
                   + "vocabularies \(a.sourceVocabSize) / \(a.targetVocabSize), \(a.cell.rawValue) E=\(a.embeddingSize) H=\(a.hiddenSize) "
                   + "L=\(a.numLayers)\(a.bidirectionalEncoder ? " bidirectional" : ""), \(model.translator.parameterCount) parameters")

        var options = TranslationTrainingOptions()
        options.epochs = epochs
        options.batchSize = batchSize
        options.batchTokens = batchTokens
        options.optimizer = optimizer == "sgd" ? .sgd : .adam
        options.learningRate = lr
        options.clip = clip
        options.l2 = l2
        options.dropout = dropout
        options.patience = patience
        options.seed = seed
        let trainer = TranslationTrainer(model: model, pairs: pairs, validPairs: validPairs, validReferences: validReferences,
                                         options: options, output: output)
        Interrupt.install(cooperative: true)
        let terminal = isatty(2) != 0
        var lastPrint = Date.distantPast
        let history = try trainer.train(resume: resume, progress: { p in
            guard terminal, Date().timeIntervalSince(lastPrint) > 0.5 || p.batch == p.batches else { return }
            lastPrint = Date()
            let line = String(format: "\repoch %d/%d  batch %d/%d  loss %.3f  %.0f pairs/s  %.0fs left in epoch ",
                              p.epoch, p.epochs, p.batch, p.batches, p.loss, p.pairsPerSecond, p.secondsLeftInEpoch)
            FileHandle.standardError.write(Data(line.utf8))
        }, shouldStop: { Interrupt.isRequested })
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        for m in history {
            var line = String(format: "epoch %d: train loss %.4f", m.epoch, m.trainLoss)
            if let v = m.validLoss { line += String(format: ", valid loss %.4f", v) }
            if let b = m.validBLEU { line += String(format: ", valid BLEU %.2f", b) }
            line += String(format: ", %.0f pairs/s, %.0fs%@", m.pairsPerSecond, m.seconds, m.best ? " (best, saved)" : "")
            printError(line)
        }
        if Interrupt.isRequested {
            printError("glossa translate train: interrupted; continue with the same command and --resume")
        }
    }
}
