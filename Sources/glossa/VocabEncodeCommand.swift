import ArgumentParser
import Foundation
import TextProcessing

/// `glossa vocab encode`.
struct VocabEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
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

    @OptionGroup var stream: TextStreamOptions
    @OptionGroup var input: LenientOption

    func run() throws {
        threads.apply()
        Interrupt.install()
        let vocabulary = try Vocabulary(contentsOf: vocab)
        let sink = try OutputStream(path: stream.output)
        let workers = try tokenizer.workers(bpe: bpe, vocabulary: vocabulary)
        try LineReader.forEach(files) { reader in
            try ChunkPipeline.run(reader: reader, workers: workers.count, work: { worker, chunk -> [UInt8] in
                let w = workers[worker]
                var out: [UInt8] = []
                var ids: [Int32] = []
                try chunk.forEachLine(lenient: input.lenient) { line in
                    ids.removeAll(keepingCapacity: true)
                    if let segmenter = w.segmenter {
                        w.words.forEachWord(inUTF8: line) { word in
                            segmenter.forEachPiece(ofWord: word) { ids.append(vocabulary.id(utf8: $0)) }
                        }
                    } else {
                        w.tokenizer.appendIDs(line, vocabulary: vocabulary, to: &ids)
                    }
                    for (i, id) in ids.enumerated() {
                        if i > 0 { out.append(0x20) }
                        appendDecimal(id, to: &out)
                    }
                    out.append(0x0A)
                }
                return out
            }, consume: { bytes in try bytes.withUnsafeBytes { try sink.write($0) } })
        }
        try sink.commit()
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
