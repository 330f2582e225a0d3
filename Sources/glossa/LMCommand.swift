import ArgumentParser
import Foundation
import LanguageModel
import NeuralCore

/// `glossa lm`: train a next-word predictor, measure its perplexity, predict and generate.
struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Train a next-word predictor (an embedding + RNN language model), measure perplexity, predict, generate.",
        discussion: """
        A model is a directory: config.json, model.safetensors (the tensor names of PyTorch's \
        word_language_model RNNModel, so either side loads the other's) and vocab.txt. Text is read as \
        one stream: each line's tokens, then <eos>.

        Examples:
          glossa lm train --train ptb.train.txt --valid ptb.valid.txt --test ptb.test.txt \\
              --tokenizer whitespace --output ptb-small
          glossa lm eval --model ptb-small --text ptb.test.txt
          glossa lm predict --model ptb-small "the stock market"
          glossa lm generate --model ptb-small --prompt "the company said" --max-tokens 20
        """,
        subcommands: [LMTrainCommand.self, LMEvalCommand.self, LMPredictCommand.self, LMGenerateCommand.self]
    )
}

/// Options every `glossa lm` subcommand that reads a model shares.
struct LMModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The model directory (config.json, model.safetensors, vocab.txt).", valueName: "DIR"))
    var model: String

    @OptionGroup var threads: ThreadsOption

    func applyThreads() { threads.apply() }

    /// Loads the model; warns on stderr when its ICU tokenizer settings come from another ICU version.
    func load() throws -> NextWordPredictor {
        let predictor = try NextWordPredictor(folder: model)
        if let warning = predictor.model.config.tokenizer.icuVersionWarning { LMTerminal.error("glossa: warning: \(warning)\n") }
        return predictor
    }
}

/// Terminal helpers of the `glossa lm` commands.
enum LMTerminal {
    /// Whether standard error is a terminal (progress lines only then).
    static var isTerminal: Bool { isatty(2) == 1 }

    /// Writes `text` to standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// "1h02m", "4m05s", "12s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
