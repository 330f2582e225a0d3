import ArgumentParser
import TextProcessing

/// `glossa vocab decode`.
struct VocabDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Turn lines of space-separated token ids back into tokens.",
        discussion: """
        Examples:
          echo "4 5 6" | glossa vocab decode --vocab vocab/kjv.vocab.txt
          glossa vocab decode --vocab vocab.txt --detokenize ids.txt
        """
    )

    @Option(help: "The vocabulary file.")
    var vocab: String

    @Argument(help: "Input files of ids (default: standard input).")
    var files: [String] = []

    @Flag(help: "Join tokens as text (no space before closing punctuation) instead of with single spaces; subword pieces (\"wasser@@ fall\") are joined into words first.")
    var detokenize = false

    @OptionGroup var stream: TextStreamOptions

    func run() throws {
        Interrupt.install()
        let vocabulary = try Vocabulary(contentsOf: vocab)
        let sink = try OutputStream(path: stream.output)
        try LineReader.forEach(files, expected: "lines of space-separated token ids") { reader in
            var lineNumber = 0
            try reader.forEachLine { line in
                lineNumber += 1
                var tokens: [String] = []
                for field in String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace) {
                    guard let id = Int32(field), id >= 0, Int(id) < vocabulary.count else {
                        throw InputError("\"\(field)\" is not a token id of \(vocab) (0..<\(vocabulary.count))",
                                         file: reader.source, line: lineNumber)
                    }
                    tokens.append(vocabulary.token(id))
                }
                try sink.write((detokenize ? Detokenizer.join(BPEPieces.words(tokens)) : tokens.joined(separator: " ")) + "\n")
            }
        }
        try sink.commit()
    }
}
