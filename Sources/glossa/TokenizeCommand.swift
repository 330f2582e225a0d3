import ArgumentParser
import Foundation
import TextProcessing

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

extension TokenizerSettings.Kind: ExpressibleByArgument {}

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

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Flag(help: "Replace invalid UTF-8 with U+FFFD (and count it) instead of failing.")
    var lenient = false

    func run() throws {
        threads.apply()
        Interrupt.install()
        let settings = tokenizer.settings
        let sink = try OutputStream(path: output)
        let inputs: [String?] = files.isEmpty ? [nil] : files
        let readers = try inputs.map { try LineReader(path: $0) }
        let workers = ChunkPipeline.defaultWorkers
        let tokenizers = (0..<workers).map { _ in Tokenizer(settings: settings) }
        let segmenter = try bpe.segmenter(settings: settings)
        let subwords = (0..<workers).map { _ in (words: BPEWords(settings: settings), segmenter: segmenter?.copy()) }
        var replacements = 0
        for reader in readers {
            try ChunkPipeline.run(reader: reader, workers: workers, work: { worker, chunk -> (bytes: [UInt8], replaced: Int) in
                let tokenizer = tokenizers[worker]
                var out: [UInt8] = []
                out.reserveCapacity(chunk.bytes.count + chunk.bytes.count / 8)
                let replaced = try chunk.forEachLine(lenient: lenient) { line in
                    if let segmenter = subwords[worker].segmenter {
                        segmenter.appendSegmentedLine(line, words: subwords[worker].words, to: &out)
                        out.append(0x0A)
                        return
                    }
                    var first = true
                    tokenizer.forEachToken(inUTF8: line) { token in
                        if !first { out.append(0x20) }
                        out.append(contentsOf: token)
                        first = false
                    }
                    out.append(0x0A)
                }
                return (out, replaced)
            }, consume: { result in
                replacements += result.replaced
                try result.bytes.withUnsafeBytes { try sink.write($0) }
            })
            if reader.bytesRead == 0 && reader.source != "<stdin>" {
                throw InputError("the file is empty; give a text file with one sentence or paragraph per line", file: reader.source)
            }
        }
        try sink.commit()
        if replacements > 0 {
            FileHandle.standardError.write(Data("glossa: replaced \(replacements) invalid UTF-8 sequence\(replacements == 1 ? "" : "s") with U+FFFD\n".utf8))
        }
    }
}
