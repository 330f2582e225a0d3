import ArgumentParser
import Foundation
import TextProcessing

/// `glossa vocab bpe-learn`.
struct VocabBPELearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpe-learn",
        abstract: "Learn byte-pair encoding merges (the codes file subword-nmt learn-bpe writes).",
        discussion: """
        Counts the tokenizer's words (both cores), then merges the most frequent pair of adjacent \
        symbols --merges times, or until no pair occurs --min-frequency times. The file is byte for \
        byte what `subword-nmt learn-bpe -s N --min-frequency F` writes for the same words; with \
        --tokenizer whitespace lines are split on the space character alone, as learn-bpe does.

        Examples:
          glossa vocab bpe-learn train.de train.en --merges 10000 --output codes.bpe
          glossa vocab bpe-learn ptb.train.txt --tokenizer whitespace --merges 8000 -o ptb.bpe
          glossa tokenize --bpe codes.bpe test.de
        """
    )

    @Argument(help: "Corpus files, one sentence or paragraph per line (- is standard input).")
    var files: [String]

    @Option(help: "The number of merges to learn (learn-bpe's -s).")
    var merges: Int

    @Option(help: "Stop when no pair of symbols occurs this often.")
    var minFrequency = 2

    @OptionGroup var tokenizer: TokenizerOptions

    @Option(name: .shortAndLong, help: "The codes file to write (atomically).")
    var output: String

    @OptionGroup var input: LenientOption

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one corpus file (- for standard input)") }
        if merges < 0 { throw ValidationError("--merges must be at least 0") }
    }

    func run() throws {
        let sink = try OutputStream(path: output)  // fail before counting if the folder is missing
        let start = Date()
        let read = try BPEWords.count(files: files.map { $0 }, settings: tokenizer.settings, lenient: input.lenient)
        let counted = Date()
        let codes = BPELearner(merges: merges, minFrequency: minFrequency).learn(counts: read.counts)
        try sink.write(codes.text)
        try sink.commit()
        if codes.merges.count < merges {
            Terminal.note("glossa: no pair occurs \(minFrequency) times after \(codes.merges.count) merges; stopped")
        }
        print(String(format: "codes: %d merges -> %@ (%d lines, %d bytes, %d word types; counted in %.2f s, learned in %.2f s)",
                     codes.merges.count, output, read.lines, read.bytes, read.counts.types,
                     counted.timeIntervalSince(start), Date().timeIntervalSince(counted)))
        if read.replacements > 0 { print("replaced \(read.replacements) invalid UTF-8 sequences with U+FFFD") }
    }
}
