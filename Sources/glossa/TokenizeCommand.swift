import ArgumentParser
import Foundation
import TextProcessing

/// `glossa tokenize`: UTF-8 lines in, each line's tokens out separated by single spaces.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize UTF-8 text: one output line of space-separated tokens per input line.",
        discussion: """
        The default ICU tokenizer case-folds the line (NFKC_Casefold), splits it into words with ICU's \
        word break rules (UAX #29, with dictionaries for Chinese, Japanese, Thai, ...) and drops \
        spaces, punctuation, symbols and emoji. Empty lines stay empty. Large inputs use both cores.

        Examples:
          echo "Don't panic: it's 3.5 km to Zürich!" | glossa tokenize
            don't panic it's 3.5 km to zürich
          glossa tokenize --keep-punctuation --no-casefold in.txt -o in.tok
          zcat ptb.train.txt.gz | glossa tokenize --tokenizer whitespace
          glossa tokenize --protect '<num>' --lenient latin1-mess.txt
          glossa tokenize --bpe codes.bpe test.de      (subword pieces: "wasser@@ fall")
        """
    )

    @OptionGroup var tokenizer: TokenizerOptions

    @OptionGroup var bpe: BPEOptions
    @OptionGroup var threads: ThreadsOption

    @Argument(help: "Input files (default: standard input; - is standard input).")
    var files: [String] = []

    @OptionGroup var stream: TextStreamOptions
    @OptionGroup var input: LenientOption

    func run() throws {
        threads.apply()
        Interrupt.install()
        let sink = try OutputStream(path: stream.output)
        let workers = try tokenizer.workers(bpe: bpe)
        var replacements = 0
        try LineReader.forEach(files) { reader in
            try ChunkPipeline.run(reader: reader, workers: workers.count, work: { worker, chunk -> (bytes: [UInt8], replaced: Int) in
                let w = workers[worker]
                var out: [UInt8] = []
                out.reserveCapacity(chunk.bytes.count + chunk.bytes.count / 8)
                let replaced = try chunk.forEachLine(lenient: input.lenient) { line in
                    if let segmenter = w.segmenter {
                        segmenter.appendSegmentedLine(line, words: w.words, to: &out)
                    } else {
                        var first = true
                        w.tokenizer.forEachToken(inUTF8: line) { token in
                            if !first { out.append(0x20) }
                            out.append(contentsOf: token)
                            first = false
                        }
                    }
                    out.append(0x0A)
                }
                return (out, replaced)
            }, consume: { result in
                replacements += result.replaced
                try result.bytes.withUnsafeBytes { try sink.write($0) }
            })
        }
        try sink.commit()
        if replacements > 0 {
            Terminal.note("glossa: replaced \(replacements) invalid UTF-8 sequence\(replacements == 1 ? "" : "s") with U+FFFD")
        }
    }
}
