import ArgumentParser
import Foundation
import NeuralCore
import TextProcessing
import Translation

/// `glossa translate`: translate stdin with a trained model (default), `train` one, `eval` one.
struct TranslateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Train an attention translator; translate sentences from stdin; measure BLEU.",
        discussion: """
        Examples:
          glossa translate train --source train.de --target train.en \\
              --valid-source val.de --valid-target val.en --output de-en
          echo "Ein Hund läuft im Schnee." | glossa translate --model de-en
          glossa translate --model de-en --beam 5 --attention align.svg < sentences.txt
          glossa translate eval --model de-en --source test.de --reference test.en
        """,
        subcommands: [TranslateText.self, TranslateTrain.self, TranslateEval.self],
        defaultSubcommand: TranslateText.self
    )
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

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
