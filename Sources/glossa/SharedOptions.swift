import ArgumentParser
import Foundation
import MessagePassing
import NeuralCore
import TextProcessing
import Translation

extension RecurrentCell: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension TranslatorCell: ExpressibleByArgument {}

/// `--threads N`, the same on every command that computes.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads to compute with (matrix products, NeuralCore's loops, tokenizer chunks; default: every core, shared among the ranks mpirun starts on the machine); results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Sets the thread count for the rest of the process (`ComputeThreads`): `--threads`, or the
    /// cores divided among the ranks of an MPI job on this machine (so ranks × threads fits the cores).
    func apply() {
        if let threads { return ComputeThreads.use(threads) }
        let ranks = ranksOnThisMachine()
        if ranks > 1 { ComputeThreads.use(max(1, ProcessInfo.processInfo.activeProcessorCount / ranks)) }
    }
}

/// The training options `lm train` and `translate train` share (each trainer's library holds its
/// defaults; `--resume` keeps the run's settings, see docs/DESIGN.md "Resume contract").
struct TrainingOptions: ParsableArguments {
    @Option(help: "Epochs.")
    var epochs: Int?
    @Option(help: "Stop after this many optimizer steps in all (a checkpoint is kept; --resume with more continues).")
    var maxSteps: Int?
    @Option(help: "Early stopping: stop after N epochs in a row without a new best validation score.")
    var patience: Int?
    @Option(help: "Rows per batch (the language model's stream columns, the translator's sentence pairs).")
    var batchSize: Int?
    @Option(help: "Optimizer.")
    var optimizer: OptimizerKind?
    @Option(help: "Learning rate.")
    var lr: Float?
    @Option(help: "Largest global gradient norm; 0 turns clipping off.")
    var clip: Float?
    @Option(help: "Weight decay λ: the objective adds λ·‖W‖² over the weights.")
    var l2: Float?
    @Option(help: "Dropout probability.")
    var dropout: Float?
    @Option(help: "Seed of initialization, shuffling and dropout.")
    var seed: UInt64?
    @Flag(help: "Continue the interrupted run in --output (only --epochs, --max-steps, --patience and --threads may change).")
    var resume = false

    /// The given options over `settings`.
    func apply(to settings: inout TrainingSettings) {
        if let epochs { settings.epochs = epochs }
        if let maxSteps { settings.maxSteps = maxSteps }
        if let patience { settings.patience = patience }
        if let batchSize { settings.batchSize = batchSize }
        if let optimizer { settings.optimizer = optimizer }
        if let lr { settings.learningRate = lr }
        if let clip { settings.clip = clip }
        if let l2 { settings.l2 = l2 }
        if let dropout { settings.dropout = dropout }
        if let seed { settings.seed = seed }
    }
}

/// Prints what an interrupted run needs and exits with `Interrupt.exitStatus`.
func exitInterrupted(_ what: String, command: String) throws -> Never {
    printError("glossa: interrupted at \(what); the checkpoint is saved — continue with:\n  \(command)")
    throw ExitCode(Interrupt.exitStatus)
}
