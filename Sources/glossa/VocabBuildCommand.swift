import ArgumentParser
import Foundation
import TextProcessing

/// `glossa vocab build`.
struct VocabBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Count a corpus's tokens and write vocab.txt and vocab.counts.tsv.",
        discussion: """
        Streams the files (any size) and counts on both cores. Writes the vocabulary to --output and \
        every token with its count to the same name ending in .counts.tsv, and prints the coverage \
        (types, tokens, out-of-vocabulary rate).

        Examples:
          glossa vocab build kjv.txt --min-count 2 --output vocab/kjv.vocab.txt
          cat a.txt b.txt | glossa vocab build - --max-size 30000 --output vocab.txt
        """
    )

    @Argument(help: "Corpus files, one sentence or paragraph per line (- is standard input).")
    var files: [String]

    @Option(help: "Leave out tokens seen fewer times than this.")
    var minCount = 1

    @Option(help: "At most this many lines in the vocabulary, specials included (default: no limit).")
    var maxSize: Int?

    @OptionGroup var tokenizer: TokenizerOptions

    @OptionGroup var bpe: BPEOptions
    @OptionGroup var threads: ThreadsOption

    @Option(name: .shortAndLong, help: "The vocabulary file to write; the counts go beside it (.counts.tsv).")
    var output = "vocab.txt"

    @OptionGroup var input: LenientOption

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one corpus file (- for standard input)") }
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if let maxSize, maxSize < TokenizerSettings.specialTokens.count {
            throw ValidationError("--max-size must be at least 4 (the special tokens)")
        }
    }

    /// vocab.txt -> vocab.counts.tsv; anything else gets .counts.tsv appended.
    var countsPath: String {
        output.hasSuffix(".txt") ? String(output.dropLast(4)) + ".counts.tsv" : output + ".counts.tsv"
    }

    func run() throws {
        threads.apply()
        Interrupt.install()
        let vocabularyFile = try OutputStream(path: output)  // fail before counting if the folder is missing
        let countsFile = try OutputStream(path: countsPath)
        let start = Date()
        let build = try bpe.segmenter(settings: tokenizer.settings).map { segmenter in
            try Vocabulary.build(files: files, settings: tokenizer.settings, segmenter: segmenter,
                                 minCount: minCount, maxSize: maxSize, lenient: input.lenient)
        } ?? Vocabulary.build(files: files, settings: tokenizer.settings, minCount: minCount, maxSize: maxSize, lenient: input.lenient,
                              progress: Terminal.isTerminal ? { bytes in
                                  let seconds = max(Date().timeIntervalSince(start), 1e-6)
                                  Terminal.progress(String(format: "counted %.0f MB (%.0f MB/s)", Double(bytes) / 1e6, Double(bytes) / 1e6 / seconds))
                              } : nil)
        Terminal.progress(nil)
        try countsFile.write(build.counts.tsv())
        for token in build.vocabulary.tokens { try vocabularyFile.write(token + "\n") }
        try OutputStream.commit([vocabularyFile, countsFile])  // both complete before either is renamed
        let c = build.coverage
        print("vocabulary: \(build.vocabulary.count) tokens -> \(output) (counts: \(countsPath))")
        print("corpus: \(build.lines) lines, \(build.bytes) bytes, \(c.tokens) tokens, \(c.types) types")
        print(String(format: "coverage: %d of %d types; out-of-vocabulary tokens %d (%.3f%%)",
                     c.typesCovered, c.types, c.outOfVocabularyTokens, 100 * c.outOfVocabularyRate))
        if build.replacements > 0 { print("replaced \(build.replacements) invalid UTF-8 sequences with U+FFFD") }
    }
}
