import ArgumentParser
import Foundation
import NeuralCore
import TextProcessing
import Translation

/// `glossa translate train`: an attention translator from line-aligned sentence pairs.
struct TranslateTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an attention encoder–decoder on line-aligned sentence pairs.",
        discussion: """
        Writes DIR/config.json, DIR/model.safetensors, DIR/source.vocab.txt and DIR/target.vocab.txt \
        (the best model by validation BLEU, or by training loss without validation files), \
        DIR/metrics.jsonl (one line per epoch), DIR/training-curve.svg and DIR/checkpoint.safetensors; \
        DIR is locked while the run lasts. Ctrl-C or SIGTERM stops after the current batch, saves the \
        checkpoint and exits with status 130; --resume continues exactly where it stopped, bit for bit \
        (only --epochs, --max-steps, --patience and --threads may change; another value of any other \
        setting is refused). Both sides keep punctuation; the ICU tokenizer case-folds unless \
        --no-casefold. With --bpe N the tokens are cut into subword pieces by N byte-pair encoding \
        merges learned on both sides (DIR/codes.bpe, the file subword-nmt learn-bpe writes; \
        --source-bpe / --target-bpe for codes of their own); the vocabularies keep every character \
        and translations are joined back into words. Defaults: GRU, 1 layer, E 256, H 512, bidirectional encoder, dropout 0.3, Adam \
        at 0.001, clip 1, batch 64, 15 epochs, patience 3, --max-length 50, --min-count 2.
        """
    )

    @Option(help: "Source sentences, one per line.") var source: String?
    @Option(help: "Target sentences, line-aligned with --source.") var target: String?
    @Option(help: "Validation source sentences.") var validSource: String?
    @Option(help: "Validation target sentences (BLEU references).") var validTarget: String?
    @Option(help: "The model directory to write.") var output: String

    @Option(help: "Recurrent cell.") var cell: TranslatorCell?
    @Option(help: "Layers of the encoder and of the decoder.") var layers: Int?
    @Option(help: "Embedding size E.") var embed: Int?
    @Option(help: "Hidden size H (each encoder direction gets H/2 when bidirectional).") var hidden: Int?
    @Flag(inversion: .prefixedNo, help: "Bidirectional encoder.") var bidirectional: Bool?
    @Option(help: "Instead of a fixed count, fill batches up to this many padded tokens.") var batchTokens: Int?
    @Option(help: "Skip pairs with a side longer than this many tokens (they are counted).") var maxLength: Int?
    @Option(help: "Decoding stops after ⌈r·n⌉ + 5 tokens for n source tokens.") var maxOutputRatio: Double?
    @Option(help: "icu or whitespace.") var tokenizer: TokenizerSettings.Kind?
    @Flag(help: "ICU tokenizer without case folding.") var noCasefold = false
    @Option(help: "Keep tokens seen at least this often (both sides; see --source-min-count, --target-min-count).") var minCount: Int?
    @Option(help: "Keep source tokens seen at least this often (default: --min-count).") var sourceMinCount: Int?
    @Option(help: "Keep target tokens seen at least this often (default: --min-count).") var targetMinCount: Int?
    @Option(help: "At most this many tokens per vocabulary (both sides).") var maxSize: Int?
    @Option(help: "At most this many source tokens in the vocabulary.") var sourceMaxSize: Int?
    @Option(help: "At most this many target tokens in the vocabulary.") var targetMaxSize: Int?
    @Option(help: "Subword pieces: learn this many byte-pair encoding merges on both sides' tokens together (joint codes, DIR/codes.bpe).") var bpe: Int?
    @Option(help: "Subword pieces on the source side with codes of its own (DIR/source.codes.bpe): this many merges.") var sourceBpe: Int?
    @Option(help: "Subword pieces on the target side with codes of its own (DIR/target.codes.bpe): this many merges.") var targetBpe: Int?
    @OptionGroup var training: TrainingOptions
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard (validSource == nil) == (validTarget == nil) else {
            throw ValidationError("give both --valid-source and --valid-target, or neither")
        }
        if !training.resume {
            _ = try newRunFiles()
            if let problem = apply(over: TranslationTrainingOptions()).problem { throw ValidationError(problem) }
        } else if source != nil || target != nil || validSource != nil {
            throw ValidationError("--resume reads the files the run was started with; give only --output and what may change")
        }
        guard tokenizer != .whitespace || !noCasefold else { throw ValidationError("--no-casefold applies to --tokenizer icu only") }
    }

    /// The options given, over `o` (the library's defaults, or a resumed run's settings).
    func apply(over o: TranslationTrainingOptions) -> TranslationTrainingOptions {
        var o = o
        if let cell { o.cell = cell }
        if let layers { o.layers = layers }
        if let embed { o.embeddingSize = embed }
        if let hidden { o.hiddenSize = hidden }
        if let bidirectional { o.bidirectional = bidirectional }
        if let batchTokens { o.batchTokens = batchTokens }
        if let maxLength { o.maxLength = maxLength }
        if let maxOutputRatio { o.maxOutputRatio = maxOutputRatio }
        if tokenizer == .whitespace { o.tokenizer = .whitespace }
        if tokenizer == .icu || noCasefold { o.tokenizer = .icu(casefold: !noCasefold, keepPunctuation: true) }
        if let count = sourceMinCount ?? minCount { o.sourceMinCount = count }
        if let count = targetMinCount ?? minCount { o.targetMinCount = count }
        if let size = sourceMaxSize ?? maxSize { o.sourceMaxSize = size }
        if let size = targetMaxSize ?? maxSize { o.targetMaxSize = size }
        if let bpe { o.bpeMerges = bpe }
        if let sourceBpe { o.sourceBPEMerges = sourceBpe }
        if let targetBpe { o.targetBPEMerges = targetBpe }
        training.apply(to: &o.training)
        return o
    }

    /// The files of a new run.
    func newRunFiles() throws -> TranslationFiles {
        guard let source, let target else { throw ValidationError("give the corpus with --source FILE --target FILE (or --resume)") }
        return TranslationFiles(source: source, target: target, validSource: validSource, validTarget: validTarget)
    }

    func run() throws {
        threads.apply()
        let world = try Job.world.get()
        // Ctrl-C or SIGTERM (what mpirun sends every rank) from here on: the loop saves and stops.
        Interrupt.install(cooperative: true)
        let trainer: TranslationTrainer
        if training.resume {
            trainer = try TranslationTrainer.resume(output: output, changing: apply(over:), communicator: world)
            let p = trainer.loop.state
            if world.isRoot { Terminal.note("glossa translate train: resuming at epoch \(p.epoch), batch \(p.batch), step \(p.step)") }
        } else {
            trainer = try TranslationTrainer.start(files: try newRunFiles(), options: apply(over: TranslationTrainingOptions()),
                                                   output: output, communicator: world)
            let a = trainer.model.config.architecture, o = trainer.options
            if world.isRoot { Terminal.note("glossa translate train: \(trainer.data.pairs.count) pairs (\(trainer.data.skipped) skipped: empty or longer than \(o.maxLength) tokens), "
                       + "vocabularies \(a.sourceVocabSize) / \(a.targetVocabSize), \(a.cell.rawValue) E=\(a.embeddingSize) H=\(a.hiddenSize) "
                       + "L=\(a.numLayers)\(a.bidirectionalEncoder ? " bidirectional" : ""), \(trainer.model.translator.store.count) parameters") }
        }
        Terminal.showProgress(of: trainer.loop) { p in
            String(format: "epoch %d/%d  batch %d/%d  loss %.3f  %.0f tok/s  %@ left",
                   p.epoch, p.epochs, p.batch, p.batches, p.loss, p.tokensPerSecond, Terminal.duration(p.secondsLeft))
        }
        if world.isRoot { trainer.loop.onEvaluation = { m in
            Terminal.progress(nil)
            var line = String(format: "epoch %@: train loss %.4f", Terminal.epoch(m), m.trainLoss ?? .nan)
            if m.split == .valid { line += String(format: ", valid loss %.4f", m.loss) }
            if let b = m.bleu { line += String(format: ", valid BLEU %.2f", b) }
            line += String(format: ", %.0f tok/s, %.0fs%@", m.tokensPerSecond ?? 0, m.epochSeconds ?? 0, m.best == true ? " (best, saved)" : "")
            Terminal.note(line)
        } }
        _ = try Terminal.finish(trainer.loop, try trainer.run(), command: "translate train", improving: "the validation score") {
            Terminal.note("glossa translate train: " + $0)
        }
    }
}
