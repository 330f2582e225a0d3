import ArgumentParser
import Foundation
import TextProcessing

/// `glossa vocab`: build a vocabulary from a corpus; encode text to ids and decode ids to text.
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Build a vocabulary; encode text to token ids and decode ids to text.",
        discussion: """
        A vocabulary file has one token per line; the line number (from 0) is the id. It starts with \
        <pad> <unk> <bos> <eos>, then the corpus tokens by count (ties in code point order).

        Examples:
          glossa vocab build kjv.txt --min-count 2 --output kjv.vocab.txt
          glossa vocab build train.txt --tokenizer whitespace --max-size 10000 --output vocab.txt
          echo "In the beginning" | glossa vocab encode --vocab kjv.vocab.txt
          echo "4 5 6" | glossa vocab decode --vocab kjv.vocab.txt
          glossa vocab bpe-learn train.txt --merges 10000 --output codes.bpe
          glossa vocab build train.txt --bpe codes.bpe --output pieces.vocab.txt
          echo "Wasserfall" | glossa vocab encode --vocab pieces.vocab.txt --bpe codes.bpe
        """,
        subcommands: [Build.self, Encode.self, Decode.self, BPELearn.self]
    )

    /// `glossa vocab build`.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
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

        @Flag(help: "Replace invalid UTF-8 with U+FFFD (and count it) instead of failing.")
        var lenient = false

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
            let showProgress = isatty(2) != 0
            let build = try bpe.segmenter(settings: tokenizer.settings).map { segmenter in
                try Vocabulary.build(files: files.map { $0 }, settings: tokenizer.settings, segmenter: segmenter,
                                     minCount: minCount, maxSize: maxSize, lenient: lenient)
            } ?? Vocabulary.build(files: files.map { $0 }, settings: tokenizer.settings,
                                             minCount: minCount, maxSize: maxSize, lenient: lenient,
                                             progress: showProgress ? { bytes in
                                                 let seconds = max(Date().timeIntervalSince(start), 1e-6)
                                                 FileHandle.standardError.write(Data(String(format: "\rcounted %.0f MB (%.0f MB/s)",
                                                     Double(bytes) / 1e6, Double(bytes) / 1e6 / seconds).utf8))
                                             } : nil)
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
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

    /// `glossa vocab encode`.
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tokenize text and print each line's token ids (<unk> for missing tokens).",
            discussion: """
            Use the same tokenizer options the vocabulary was built with.

            Examples:
              echo "In the beginning God" | glossa vocab encode --vocab vocab/kjv.vocab.txt
              glossa vocab encode --vocab vocab.txt --tokenizer whitespace ptb.test.txt --output ids.txt
            """
        )

        @Option(help: "The vocabulary file.")
        var vocab: String

        @Argument(help: "Input files (default: standard input).")
        var files: [String] = []

        @OptionGroup var tokenizer: TokenizerOptions

        @OptionGroup var bpe: BPEOptions
        @OptionGroup var threads: ThreadsOption

        @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
        var output: String?

        @Flag(help: "Replace invalid UTF-8 with U+FFFD (and count it) instead of failing.")
        var lenient = false

        func run() throws {
            threads.apply()
            Interrupt.install()
            let vocabulary = try Vocabulary(contentsOf: vocab)
            let sink = try OutputStream(path: output)
            let settings = tokenizer.settings
            let workers = ChunkPipeline.defaultWorkers
            let tokenizers = (0..<workers).map { _ in Tokenizer(settings: settings) }
            // With --bpe: pieces the vocabulary lacks are split back along their merges (apply-bpe --vocabulary).
            let segmenter = try bpe.segmenter(settings: settings, vocabulary: vocabulary)
            let subwords = (0..<workers).map { _ in (words: BPEWords(settings: settings), segmenter: segmenter?.copy()) }
            let readers = try (files.isEmpty ? [nil] : files.map { Optional($0) }).map { try LineReader(path: $0) }
            for reader in readers {
                try ChunkPipeline.run(reader: reader, workers: workers, work: { worker, chunk -> [UInt8] in
                    let tokenizer = tokenizers[worker]
                    var out: [UInt8] = []
                    var ids: [Int32] = []
                    try chunk.forEachLine(lenient: lenient) { line in
                        ids.removeAll(keepingCapacity: true)
                        if let segmenter = subwords[worker].segmenter {
                            subwords[worker].words.forEachWord(inUTF8: line) { word in
                                segmenter.forEachPiece(ofWord: word) { ids.append(vocabulary.id(utf8: $0)) }
                            }
                        } else {
                            tokenizer.appendIDs(line, vocabulary: vocabulary, to: &ids)
                        }
                        for (i, id) in ids.enumerated() {
                            if i > 0 { out.append(0x20) }
                            appendDecimal(id, to: &out)
                        }
                        out.append(0x0A)
                    }
                    return out
                }, consume: { bytes in try bytes.withUnsafeBytes { try sink.write($0) } })
                if reader.bytesRead == 0 && reader.source != "<stdin>" {
                    throw InputError("the file is empty; give a text file with one sentence or paragraph per line", file: reader.source)
                }
            }
            try sink.commit()
        }
    }

    /// `glossa vocab decode`.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
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

        @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
        var output: String?

        func run() throws {
            Interrupt.install()
            let vocabulary = try Vocabulary(contentsOf: vocab)
            let sink = try OutputStream(path: output)
            for path in files.isEmpty ? [nil] : files.map({ Optional($0) }) {
                let reader = try LineReader(path: path)
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
                if reader.bytesRead == 0 && reader.source != "<stdin>" {
                    throw InputError("the file is empty", file: reader.source)
                }
            }
            try sink.commit()
        }
    }
}

/// Appends the decimal digits of a non-negative id.
@inline(__always)
func appendDecimal(_ value: Int32, to out: inout [UInt8]) {
    if value < 10 { out.append(0x30 &+ UInt8(truncatingIfNeeded: value)); return }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var v = value
    withUnsafeMutableBytes(of: &digits) { buffer in
        while v > 0 {
            buffer[count] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            count += 1
        }
        for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
    }
}
