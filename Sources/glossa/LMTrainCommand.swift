import ArgumentParser
import Foundation
import LanguageModel
import NeuralCore
import TextProcessing

extension RecurrentCell: ExpressibleByArgument {}
extension LanguageModelOptimizer: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}

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
        (one line per evaluation), training-curve.svg and checkpoint.safetensors. Ctrl-C saves the \
        checkpoint; --resume continues exactly where it stopped (only --epochs, --max-steps and \
        --patience may change).

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

    @Option(help: "Recurrent cell (default lstm).")
    var cell: RecurrentCell?
    @Option(help: "Stacked recurrent layers (default 2).")
    var layers: Int?
    @Option(help: "Embedding size E (default 200).")
    var embed: Int?
    @Option(help: "Hidden size H (default 200).")
    var hidden: Int?
    @Flag(help: "Share the embedding and the output weights (needs --embed = --hidden).")
    var tieWeights = false
    @Option(help: "Steps of backpropagation through time T (default 20).")
    var bptt: Int?
    @Option(help: "Columns the training stream is cut into, B (default 20).")
    var batchSize: Int?
    @Option(help: "Dropout on embeddings, between layers and before the output (default 0).")
    var dropout: Float?
    @Option(help: "Optimizer (default sgd).")
    var optimizer: LanguageModelOptimizer?
    @Option(help: "Learning rate (default 1; 0.001 with --optimizer adam).")
    var lr: Float?
    @Option(help: "Factor the learning rate is multiplied by when it decays (default 0.5).")
    var lrDecay: Float?
    @Option(help: "Epochs at the full learning rate before the fixed schedule decays it (default 4).")
    var decayAfter: Int?
    @Option(help: "fixed: decay after every epoch past --decay-after; plateau: decay when validation does not improve (default fixed).")
    var lrSchedule: LearningRateSchedule?
    @Option(help: "Largest global gradient norm; 0 turns clipping off (default 5).")
    var clip: Float?
    @Option(help: "Weight decay λ: the objective adds λ·‖W‖² over the weights (default 0).")
    var l2: Float?
    @Option(help: "Epochs (default 13).")
    var epochs: Int?
    @Option(help: "Early stopping: stop when validation perplexity has risen more than N times since the best.")
    var patience: Int?
    @Option(help: "Stop after this many steps in all (a checkpoint is kept; --resume with more continues).")
    var maxSteps: Int?
    @Option(help: "Seed of the initialization and dropout (default 1).")
    var seed: UInt64?
    @Option(help: "Initialize every weight uniform in ±R (default 0.1).")
    var `init`: Float?
    @Option(help: "Steps per chunk when measuring perplexity (default 35; the result does not depend on it).")
    var evalBptt: Int?

    @OptionGroup var tokenizer: TokenizerOptions
    @Option(help: ArgumentHelp("Use this vocab.txt instead of building one from the training file.", valueName: "FILE"))
    var vocab: String?
    @Option(help: "Keep tokens seen at least N times in the training file (default 1).")
    var minCount: Int?
    @Option(help: "Keep at most N tokens, the four specials included.")
    var maxSize: Int?

    @Flag(help: "Continue the run whose checkpoint is in --output.")
    var resume = false
    @Option(help: "Threads for matrix products (default: OpenBLAS's choice).")
    var threads: Int?

    /// Options that fix the run; `--resume` refuses them.
    private var settingsGiven: [String] {
        var names: [String] = []
        if cell != nil { names.append("--cell") }
        if layers != nil { names.append("--layers") }
        if embed != nil { names.append("--embed") }
        if hidden != nil { names.append("--hidden") }
        if tieWeights { names.append("--tie-weights") }
        if bptt != nil { names.append("--bptt") }
        if batchSize != nil { names.append("--batch-size") }
        if dropout != nil { names.append("--dropout") }
        if optimizer != nil { names.append("--optimizer") }
        if lr != nil { names.append("--lr") }
        if lrDecay != nil { names.append("--lr-decay") }
        if decayAfter != nil { names.append("--decay-after") }
        if lrSchedule != nil { names.append("--lr-schedule") }
        if clip != nil { names.append("--clip") }
        if l2 != nil { names.append("--l2") }
        if seed != nil { names.append("--seed") }
        if `init` != nil { names.append("--init") }
        if evalBptt != nil { names.append("--eval-bptt") }
        if vocab != nil { names.append("--vocab") }
        if minCount != nil { names.append("--min-count") }
        if maxSize != nil { names.append("--max-size") }
        return names
    }

    func validate() throws {
        if resume {
            if let first = settingsGiven.first {
                throw ValidationError("--resume continues with the checkpoint's settings; \(first) cannot change (only --epochs, --max-steps and --patience can)")
            }
        } else {
            if train == nil { throw ValidationError("give the training text with --train FILE (or --resume)") }
            if valid == nil { throw ValidationError("give the validation text with --valid FILE") }
            if vocab != nil && (minCount != nil || maxSize != nil) {
                throw ValidationError("--vocab reads a vocabulary; --min-count and --max-size build one; give one or the other")
            }
        }
        if let minCount, minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if let maxSize, maxSize < 5 { throw ValidationError("--max-size must leave room for a word besides the four specials") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let problem = options.problem { throw ValidationError(problem) }
        if !resume, let ranks = try? Job.world.get().size,
           let problem = LanguageModelTrainer.sharingProblem(batchSize: options.batchSize, ranks: ranks) {
            throw ValidationError(problem)
        }
    }

    /// The options given, over the defaults.
    var options: LanguageModelTrainingOptions {
        var o = LanguageModelTrainingOptions()
        if let cell { o.cell = cell }
        if let layers { o.layers = layers }
        if let embed { o.embeddingSize = embed }
        if let hidden { o.hiddenSize = hidden }
        o.tieWeights = tieWeights
        if let bptt { o.bptt = bptt }
        if let batchSize { o.batchSize = batchSize }
        if let dropout { o.dropout = dropout }
        if let optimizer { o.optimizer = optimizer }
        if let lr { o.learningRate = lr } else if optimizer == .adam { o.learningRate = 0.001 }
        if let lrDecay { o.learningRateDecay = lrDecay }
        if let decayAfter { o.decayAfter = decayAfter }
        if let lrSchedule { o.schedule = lrSchedule }
        if let clip { o.clip = clip }
        if let l2 { o.l2 = l2 }
        if let epochs { o.epochs = epochs }
        o.patience = patience
        o.maxSteps = maxSteps
        if let seed { o.seed = seed }
        if let value = `init` { o.initRange = value }
        if let evalBptt { o.evalBptt = evalBptt }
        return o
    }

    func run() throws {
        if let threads { BlasThreads.count = threads }
        let world = try Job.world.get()
        let terminal = LMTerminal.isTerminal && world.isRoot
        let trainer: LanguageModelTrainer
        if resume {
            trainer = try LanguageModelTrainer.resume(output: output,
                                                      overrides: ResumeOverrides(epochs: epochs, maxSteps: maxSteps, patience: patience),
                                                      train: train, valid: valid, test: test, communicator: world)
            let p = trainer.position
            if terminal { LMTerminal.error("glossa: resuming at epoch \(p.epoch), step \(p.step) (learning rate \(p.learningRate))\n") }
            if p.options.optimizer == .adam && world.isRoot {
                LMTerminal.error("glossa: note: Adam's moment estimates restart from zero on resume\n")
            }
        } else {
            let source: VocabularySource = vocab.map { .file($0) } ?? .build(minCount: minCount ?? 1, maxSize: maxSize)
            trainer = try LanguageModelTrainer.start(train: train!, valid: valid!, test: test, output: output, options: options,
                                                     tokenizer: tokenizer.settings, vocabulary: source, communicator: world)
            let c = trainer.model.config
            if terminal { LMTerminal.error("glossa: \(c.numLayers)-layer \(c.cell.rawValue) E \(c.embeddingSize) H \(c.hiddenSize) V \(c.vocabSize), \(trainer.model.store.count) parameters\n") }
        }
        Interrupt.install(cooperative: true)  // Ctrl-C, or SIGTERM (what mpirun sends every rank on Ctrl-C)
        trainer.shouldStop = { Interrupt.isRequested }
        var lastDraw = 0.0
        if terminal {
            trainer.onProgress = { p in
                let now = Date().timeIntervalSinceReferenceDate
                guard now - lastDraw >= 0.25 || p.chunk == p.chunks else { return }
                lastDraw = now
                let rate = p.tokensPerSecond >= 1000 ? String(format: "%.1fk", p.tokensPerSecond / 1000) : String(format: "%.0f", p.tokensPerSecond)
                LMTerminal.error(String(format: "\r\u{1B}[Kepoch %d/%d  step %d/%d  loss %.3f  ppl %.1f  %@ tok/s  %@ left",
                                  p.epoch, p.epochs, p.chunk, p.chunks, p.loss, p.perplexity, rate, LMTerminal.duration(p.secondsLeft)))
            }
        }
        if terminal { trainer.onEvaluation = { r in
            var line: String
            if r.split == "test" {
                line = String(format: "test perplexity %.2f (best model, %d tokens)", r.perplexity, r.tokens)
            } else {
                line = String(format: "epoch %@  train ppl %.2f  valid ppl %.2f%@  lr %g  %.0f tok/s  %@",
                              r.partial == true ? String(format: "%.2f", r.epoch) : String(Int(r.epoch)),
                              r.trainPerplexity ?? .nan, r.perplexity, r.best == true ? " (best)" : "",
                              r.learningRate ?? 0, r.tokensPerSecond ?? 0, LMTerminal.duration(r.epochSeconds ?? 0))
            }
            LMTerminal.error("\r\u{1B}[K" + line + "\n")
        } }
        let stop = try trainer.run()
        let p = trainer.position
        guard world.isRoot else {
            if stop == .interrupted { throw ExitCode(130) }
            return
        }
        if let reducer = trainer.gradientReducer as? AllreduceGradients, reducer.steps > 0 {
            LMTerminal.error(String(format: "glossa: %d ranks; allreduce %.2f ms per step of %.2f ms (%d steps, %d parameters)\n",
                                    world.size, 1000 * reducer.seconds / Double(reducer.steps),
                                    1000 * p.elapsedSeconds / Double(max(p.step, 1)), reducer.steps, trainer.model.store.count))
        }
        switch stop {
        case .interrupted:
            LMTerminal.error((terminal ? "\n" : "") + "glossa: interrupted at epoch \(p.epoch), step \(p.step); the checkpoint is saved — continue with:\n  glossa lm train --output \(output) --resume\n")
            throw ExitCode(130)
        case .stepLimit:
            print("stopped after \(p.step) steps (--max-steps); continue with --resume --max-steps N")
        case .earlyStopped:
            print("stopped early at epoch \(p.epoch - 1): validation perplexity stopped improving")
        case .finished:
            break
        }
        if let best = p.bestValidPerplexity {
            var summary = String(format: "best validation perplexity %.2f", best)
            if let test = p.records.last(where: { $0.split == "test" }) {
                summary += String(format: ", test perplexity %.2f", test.perplexity)
            }
            print(summary + "; model in \(output)")
        }
    }
}
