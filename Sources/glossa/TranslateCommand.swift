import ArgumentParser

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
        subcommands: [TranslateTextCommand.self, TranslateTrainCommand.self, TranslateEvalCommand.self],
        defaultSubcommand: TranslateTextCommand.self
    )
}

