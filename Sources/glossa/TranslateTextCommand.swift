import ArgumentParser
import Foundation
import TextProcessing
import Translation

/// `glossa translate --model DIR`: one translation per stdin line, in order.
struct TranslateTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Translate UTF-8 sentences from standard input, one per line (the default).",
        discussion: """
        Writes one detokenized translation per input line, in order; an empty line gives an empty \
        line. On a terminal each line is translated as soon as it is typed; from a pipe, lines are \
        read in blocks and decoded in batches sorted by length.
        """
    )

    @Option(help: "The model directory `glossa translate train` wrote.")
    var model: String

    @OptionGroup var decoding: DecodingOptions
    @OptionGroup var threads: ThreadsOption

    @Option(help: ArgumentHelp("Draw each sentence's attention (alignment) matrix into this SVG file.", valueName: "FILE.svg"))
    var attention: String?

    @OptionGroup var input: LenientOption

    @Flag(help: "Print the target tokens separated by spaces instead of detokenized text.")
    var tokens = false

    @Option(help: "Lines read and decoded together when stdin is not a terminal.")
    var block = 512

    func run() throws {
        threads.apply()
        Interrupt.install()
        let picture = try attention.map { try AtomicFileWriter(destination: $0) }  // a bad path fails before the work
        let translation = try TranslationModel.load(from: model)
        let interactive = isatty(0) != 0
        let reader = try LineReader(path: nil)  // validates UTF-8, names the line
        reader.lenient = input.lenient
        var pending: [String] = []
        var drawn: [(source: [String], target: [String], alignment: [[Float]])] = []
        let options = decoding.translationOptions
        func flush() throws {
            guard !pending.isEmpty else { return }
            var out = ""
            for result in translation.translate(pending, options: options) {
                if let warning = result.warning { Terminal.warning(warning) }
                out += (tokens ? result.targetTokens.joined(separator: " ") : result.text) + "\n"
                if attention != nil { drawn.append((result.sourceTokens + ["<eos>"], result.targetTokens, result.alignment)) }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            pending.removeAll(keepingCapacity: true)
        }
        if interactive {
            // A terminal: answer each line as soon as it is typed.
            while let line = readLine(strippingNewline: true) {
                pending.append(line)
                try flush()
            }
        } else {
            try reader.forEachLine { line in
                pending.append(String(decoding: line, as: UTF8.self))
                if pending.count >= block { try flush() }
            }
            try flush()
        }
        if let picture {
            try picture.write(Data(AttentionPicture.svg(drawn).utf8))
            try picture.commit()
        }
    }
}
