import ArgumentParser
import Foundation
import LanguageModel
import MessagePassing
import NeuralCore
import TextProcessing

/// `glossa lm train`: truncated-BPTT training with validation after each epoch, the best model kept.
struct LMTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a language model; keep the best by validation perplexity.",
        discussion: """
        The defaults are the small configuration of Zaremba et al. (2014): a 2-layer LSTM of 200 units, \
        no dropout, SGD with learning rate 1 halved after every epoch past the 4th, 13 epochs, BPTT 20, \
        batch 20, gradient norm clipped at 5, weights uniform in ±0.1. The loss SGD follows is summed \
        over the BPTT steps and averaged over the batch, as theirs.

        DIR receives vocab.txt, config.json + model.safetensors (the best model so far), metrics.jsonl \
        (one line per evaluation), training-curve.svg and checkpoint.safetensors; it is locked while \
        the run lasts. Ctrl-C or SIGTERM saves the checkpoint and exits with status 130; --resume \
        continues exactly where it stopped, bit for bit (only --epochs, --max-steps, --patience and \
        --threads may change; another value of any other setting is refused).

        Medium configuration (their 82.7 test perplexity on Penn Treebank):
          glossa lm train ... --hidden 650 --embed 650 --dropout 0.5 \\
              --epochs 39 --decay-after 6 --lr-decay 0.8 --init 0.05 --bptt 35
        """
    )

    @Option(help: ArgumentHelp("Training text, one sentence or paragraph per line.", valueName: "FILE"))
    var train: String?
    @Option(help: ArgumentHelp("Validation text (perplexity after every epoch picks the best model).", valueName: "FILE"))
    var valid: String?
    @Option(help: ArgumentHelp("Test text, evaluated once with the best model at the end.", valueName: "FILE"))
    var test: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("The model directory to write (created if needed).", valueName: "DIR"))
    var output: String

    @Option(help: "Recurrent cell.")
    var cell: RecurrentCell?
    @Option(help: "Stacked recurrent layers.")
    var layers: Int?
    @Option(help: "Embedding size E.")
    var embed: Int?
    @Option(help: "Hidden size H.")
    var hidden: Int?
    @Flag(help: "Share the embedding and the output weights (needs --embed = --hidden).")
    var tieWeights = false
    @Flag(help: "Variational (locked) dropout: one --dropout mask per column and layer for all steps of a chunk (AWD-LSTM's).")
    var variationalDropout = false
    @Option(help: "Steps of backpropagation through time T.")
    var bptt: Int?
    @Option(help: "Factor the learning rate is multiplied by when it decays.")
    var lrDecay: Float?
    @Option(help: "Epochs at the full learning rate before the fixed schedule decays it.")
    var decayAfter: Int?
    @Option(help: "fixed: decay after every epoch past --decay-after; plateau: decay when validation does not improve.")
    var lrSchedule: LearningRateSchedule?
    @Option(help: "Initialize every weight uniform in ±R.")
    var `init`: Float?
    @Option(help: "Steps per chunk when measuring perplexity (the result does not depend on it).")
    var evalBptt: Int?

    @OptionGroup var training: TrainingOptions
    @OptionGroup var tokenizer: TokenizerOptions
    @Option(help: ArgumentHelp("Use this vocab.txt instead of building one from the training file.", valueName: "FILE"))
    var vocab: String?
    @Option(help: "Keep tokens seen at least N times in the training file (default 1).")
    var minCount: Int?
    @Option(help: "Keep at most N tokens, the four specials included.")
    var maxSize: Int?
    @Option(help: "Subword pieces: learn N byte-pair encoding merges on the training file's tokens (OUT/codes.bpe); the vocabulary keeps every character.")
    var bpe: Int?
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if training.resume {
            if vocab != nil || minCount != nil || maxSize != nil {
                throw ValidationError("--vocab, --min-count and --max-size make a new run's vocabulary; --resume keeps the run's")
            }
        } else {
            _ = try newRunFiles()
            if vocab != nil && (minCount != nil || maxSize != nil) {
                throw ValidationError("--vocab reads a vocabulary; --min-count and --max-size build one; give one or the other")
            }
            let options = apply(over: LanguageModelTrainingOptions())
            if let problem = options.problem { throw ValidationError(problem) }
            if let ranks = try? Job.world.get().size,
               let problem = LanguageModelTrainer.sharingProblem(batchSize: options.training.batchSize, ranks: ranks) {
                throw ValidationError(problem)
            }
        }
        if let minCount, minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if let maxSize, maxSize < 5 { throw ValidationError("--max-size must leave room for a word besides the four specials") }
    }

    /// The options given, over `o` (the library's defaults, or a resumed run's settings). A new
    /// --optimizer without --lr starts from that optimizer's default learning rate.
    func apply(over o: LanguageModelTrainingOptions) -> LanguageModelTrainingOptions {
        var o = o
        if let bpe { o.bpeMerges = bpe }
        if let cell { o.cell = cell }
        if let layers { o.layers = layers }
        if let embed { o.embeddingSize = embed }
        if let hidden { o.hiddenSize = hidden }
        if tieWeights { o.tieWeights = true }
        if variationalDropout { o.variationalDropout = true }
        if let bptt { o.bptt = bptt }
        if let lrDecay { o.learningRateDecay = lrDecay }
        if let decayAfter { o.decayAfter = decayAfter }
        if let lrSchedule { o.schedule = lrSchedule }
        if let value = `init` { o.initRange = value }
        if let evalBptt { o.evalBptt = evalBptt }
        if training.lr == nil, let optimizer = training.optimizer, optimizer != o.training.optimizer {
            o.training.learningRate = LanguageModelTrainingOptions.defaultLearningRate(optimizer)
        }
        training.apply(to: &o.training)
        return o
    }

    /// The training and validation files of a new run.
    func newRunFiles() throws -> (train: String, valid: String) {
        guard let train else { throw ValidationError("give the training text with --train FILE (or --resume)") }
        guard let valid else { throw ValidationError("give the validation text with --valid FILE") }
        return (train, valid)
    }

    func run() throws {
        threads.apply()
        // Ctrl-C or SIGTERM (what mpirun sends every rank) from here on: the loop saves and stops.
        Interrupt.install(cooperative: true)
        let world = try Job.world.get()
        let terminal = Terminal.isTerminal && world.isRoot
        let trainer: LanguageModelTrainer
        if training.resume {
            trainer = try LanguageModelTrainer.resume(output: output, changing: apply(over:), train: train, valid: valid, test: test,
                                                      communicator: world)
            let p = trainer.loop.state
            if terminal { Terminal.note("glossa: resuming at epoch \(p.epoch), step \(p.step) (learning rate \(p.learningRate))") }
        } else {
            let files = try newRunFiles()
            let source: VocabularySource = vocab.map { .file($0) } ?? .build(minCount: minCount ?? 1, maxSize: maxSize)
            trainer = try LanguageModelTrainer.start(train: files.train, valid: files.valid, test: test, output: output,
                                                     options: apply(over: LanguageModelTrainingOptions()),
                                                     tokenizer: tokenizer.settings, vocabulary: source, communicator: world)
            let c = trainer.model.config
            if terminal { Terminal.note("glossa: \(c.numLayers)-layer \(c.cell.rawValue) E \(c.embeddingSize) H \(c.hiddenSize) V \(c.vocabSize), \(trainer.model.store.count) parameters") }
        }
        Terminal.showProgress(of: trainer.loop) { p in
            let rate = p.tokensPerSecond >= 1000 ? String(format: "%.1fk", p.tokensPerSecond / 1000) : String(format: "%.0f", p.tokensPerSecond)
            return String(format: "epoch %d/%d  step %d/%d  loss %.3f  ppl %.1f  %@ tok/s  %@ left",
                          p.epoch, p.epochs, p.batch, p.batches, p.loss, Foundation.exp(p.loss), rate, Terminal.duration(p.secondsLeft))
        }
        if terminal {
            trainer.loop.onEvaluation = { r in
                Terminal.progress(nil)
                if r.split == .test {
                    Terminal.note(String(format: "test perplexity %.2f (best model, %d tokens)", r.perplexity, r.tokens))
                } else {
                    Terminal.note(String(format: "epoch %@  train ppl %.2f  valid ppl %.2f%@  lr %g  %.0f tok/s  %@",
                                         Terminal.epoch(r), r.trainPerplexity ?? .nan, r.perplexity, r.best == true ? " (best)" : "",
                                         r.learningRate ?? 0, r.tokensPerSecond ?? 0, Terminal.duration(r.epochSeconds ?? 0)))
                }
            }
        }
        let stop = try trainer.run()
        guard try Terminal.finish(trainer.loop, stop, command: "lm train", improving: "validation perplexity", say: { print($0) }) else { return }
        if let best = trainer.bestValidPerplexity {
            var summary = String(format: "best validation perplexity %.2f", best)
            if let test = trainer.loop.state.records.last(where: { $0.split == .test }) {
                summary += String(format: ", test perplexity %.2f", test.perplexity)
            }
            print(summary + "; model in \(output)")
        }
    }
}
