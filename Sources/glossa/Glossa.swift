import ArgumentParser

/// The `glossa` command: one subcommand per job. Each subcommand's file only parses, validates and
/// calls a library.
@main
struct Glossa: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glossa",
        abstract: "Next-word prediction, translation and address deduplication on the CPU.",
        discussion: """
        Jobs:
          glossa lm         train a next-word predictor, measure perplexity, predict, generate
          glossa translate  train an attention translator; translate sentences from stdin
          glossa dedup      say which rows of an address list are the same place
        Text tools:
          glossa tokenize   ICU or whitespace tokenization of stdin
          glossa vocab      build a vocabulary; encode and decode token ids
        """,
        subcommands: [TokenizeCommand.self, VocabCommand.self, LMCommand.self, TranslateCommand.self, DedupCommand.self]
    )

    /// swift-argument-parser's main, with errors ended through `Job` (which knows about MPI jobs).
    static func main() {
        if case .failure(let error) = Job.world { exit(withError: error) }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            Job.exit(withError: error, parsing: true)
        }
        do {
            try command.run()
        } catch {
            Job.exit(withError: error, parsing: false)
        }
    }
}
