import ArgumentParser
import Foundation
import LanguageModel
import MessagePassing
import NeuralCore
import Support
import TextProcessing
import Translation

extension RecurrentCell: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension TranslatorCell: ExpressibleByArgument {}
extension TokenizerSettings.Kind: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}

/// `--threads N`, the same on every command that computes.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads to compute with (matrix products, NeuralCore's loops, tokenizer chunks; default: every core this process may run on, shared among the ranks mpirun starts on the machine); results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Sets the thread count for the rest of the process (`ComputeThreads`): `--threads`, or the
    /// machine's cores divided among the ranks of an MPI job on it (so ranks × threads fits the
    /// cores), and never more than the cores this process may run on (`UsableCores`: mpirun binds
    /// each of 2 ranks to one core by default; `taskset`).
    func apply() {
        if let threads { return ComputeThreads.use(threads) }
        let machine = ProcessInfo.processInfo.activeProcessorCount, usable = UsableCores.count
        let ranks = ranksOnThisMachine()
        if ranks > 1 || usable < machine { ComputeThreads.use(max(1, min(usable, machine / ranks))) }
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

/// The tokenizer options shared by `glossa tokenize`, `glossa vocab` and the training commands.
struct TokenizerOptions: ParsableArguments {
    @Option(name: .customLong("tokenizer"), help: "icu (NFKC case-folded, ICU word segments) or whitespace (split on white space only).")
    var kind: TokenizerSettings.Kind = .icu

    @Flag(help: "Keep punctuation, symbols and emoji (every segment that is not only white space).")
    var keepPunctuation = false

    @Flag(help: "Normalize with plain NFKC, without case folding.")
    var noCasefold = false

    @Option(name: .customLong("protect"), help: ArgumentHelp("Keep TOKEN whole (repeatable); <pad> <unk> <bos> <eos> always are.", valueName: "TOKEN"))
    var protectedTokens: [String] = []

    func validate() throws {
        if kind == .whitespace && (keepPunctuation || noCasefold || !protectedTokens.isEmpty) {
            throw ValidationError("--keep-punctuation, --no-casefold and --protect apply to --tokenizer icu only")
        }
        for token in protectedTokens where token.isEmpty || token.contains(where: \.isWhitespace) {
            throw ValidationError("--protect takes a token without white space, not \"\(token)\"")
        }
    }

    /// The settings these options describe.
    var settings: TokenizerSettings {
        switch kind {
        case .whitespace: return .whitespace
        case .icu: return .icu(casefold: !noCasefold, keepPunctuation: keepPunctuation, protectedTokens: protectedTokens)
        }
    }
}


extension TokenizerOptions {
    /// One tokenizer per worker of a `ChunkPipeline` and, with `--bpe`, a word splitter and a
    /// segmenter (`vocabulary`: pieces it lacks are split back along their merges, apply-bpe --vocabulary).
    func workers(bpe: BPEOptions, vocabulary: Vocabulary? = nil) throws -> [(tokenizer: Tokenizer, words: BPEWords, segmenter: BPESegmenter?)] {
        let segmenter = try bpe.segmenter(settings: settings, vocabulary: vocabulary)
        return (0..<ChunkPipeline.defaultWorkers).map { _ in (Tokenizer(settings: settings), BPEWords(settings: settings), segmenter?.copy()) }
    }
}

/// `--output FILE`, for the commands that stream text through (`tokenize`, `vocab encode|decode`).
struct TextStreamOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?
}

/// `--lenient`, for the commands that read text files (`tokenize`, `vocab`, `translate`).
struct LenientOption: ParsableArguments {
    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of failing.")
    var lenient = false
}

/// `--bpe codes.bpe`: cut the tokens into the subword pieces of a codes file, as apply-bpe does.
struct BPEOptions: ParsableArguments {
    @Option(name: .customLong("bpe"), help: ArgumentHelp("Cut tokens into the subword pieces of this codes file (from bpe-learn or subword-nmt learn-bpe), as subword-nmt apply-bpe does.", valueName: "CODES"))
    var codes: String?

    /// The segmenter for `--bpe`, nil without it; the tokenizer's protected tokens stay whole.
    func segmenter(settings: TokenizerSettings, vocabulary: Vocabulary? = nil) throws -> BPESegmenter? {
        guard let codes else { return nil }
        return BPESegmenter(codes: try BPECodes(contentsOf: codes), settings: settings, vocabulary: vocabulary)
    }
}

/// Decoding options shared by translating and evaluating.
struct DecodingOptions: ParsableArguments {
    @Option(help: "Beam width from 1 (greedy decoding, argmax until <eos>) to \(TranslationOptions.maximumBeam).")
    var beam = 1

    @Option(help: "Length penalty α of beam search: scores are log P / ((5 + length) / 6)^α.")
    var lengthPenalty = 0.0

    @Flag(help: "Print the most attended source token instead of <unk>.")
    var replaceUnk = false

    @Option(help: "Sources longer than this many tokens are translated in pieces (with a warning).")
    var maxSourceTokens = 200

    func validate() throws {
        guard (1...TranslationOptions.maximumBeam).contains(beam) else {
            throw ValidationError("--beam must be from 1 to \(TranslationOptions.maximumBeam) (translation toolkits use 4 to 10), got \(beam)")
        }
        guard lengthPenalty >= 0 else { throw ValidationError("--length-penalty must be 0 or more, got \(lengthPenalty)") }
        guard maxSourceTokens >= 1 else { throw ValidationError("--max-source-tokens must be at least 1") }
    }

    var translationOptions: TranslationOptions {
        TranslationOptions(beam: beam, lengthPenalty: lengthPenalty, replaceUnknown: replaceUnk, maxSourceTokens: maxSourceTokens)
    }
}

/// Options every `glossa lm` subcommand that reads a model shares.
struct LMModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The model directory (config.json, model.safetensors, vocab.txt).", valueName: "DIR"))
    var model: String

    @OptionGroup var threads: ThreadsOption

    /// Loads the model; warns on stderr when its ICU tokenizer settings come from another ICU version.
    func load() throws -> NextWordPredictor {
        let predictor = try NextWordPredictor(folder: model)
        if let warning = predictor.model.config.tokenizer.icuVersionWarning { Terminal.warning(warning) }
        return predictor
    }
}

/// Prints `object` as one line of JSON on standard output, keys sorted (the commands' `--json`).
func printJSON(_ object: [String: Any]) throws {
    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
}
