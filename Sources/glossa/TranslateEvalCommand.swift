import ArgumentParser
import Foundation
import TextProcessing
import Translation

/// `glossa translate eval`: corpus BLEU of a model's translations against references.
struct TranslateEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Translate a file and score it with corpus BLEU, computed exactly as sacreBLEU does.",
        discussion: """
        BLEU uses sacreBLEU's defaults (13a tokenization, 4-grams, exp smoothing); the number equals \
        `sacrebleu REFERENCE -i OUTPUT` (and `-lc` with --lowercase, the default for models that \
        case-fold). Writes the translations with --output.
        """
    )

    @Option(help: "The model directory.")
    var model: String

    @Option(help: "Source sentences, one per line.")
    var source: String

    @Option(help: "Reference translations, line-aligned with --source.")
    var reference: String

    @OptionGroup var decoding: DecodingOptions
    @OptionGroup var threads: ThreadsOption

    @Flag(inversion: .prefixedNo, help: "Lowercase before scoring (sacrebleu -lc).")
    var lowercase = true

    @Option(name: .shortAndLong, help: "Also write the translations to this file.")
    var output: String?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        threads.apply()
        Interrupt.install()
        let translationsFile = try output.map { try AtomicFileWriter(destination: $0) }  // a bad path fails before the work
        let translation = try TranslationModel.load(from: model)
        let sources = try LineReader.lines(of: source)
        let references = try LineReader.lines(of: reference)
        guard sources.count == references.count else {
            throw InputError("has \(references.count) lines but \(source) has \(sources.count); they must be line-aligned", file: reference)
        }
        let started = Date()
        let results = translation.translate(sources, options: decoding.translationOptions)
        let seconds = Date().timeIntervalSince(started)
        let hypotheses = results.map(\.text)
        if let translationsFile {
            try translationsFile.write(Data(hypotheses.map { $0 + "\n" }.joined().utf8))
            try translationsFile.commit()
        }
        let bleu = BLEU(hypotheses: hypotheses, references: references, lowercase: lowercase)
        if json {
            let object: [String: Any] = [
                "bleu": (bleu.score * 1e4).rounded() / 1e4, "precisions": bleu.precisions.map { ($0 * 1e4).rounded() / 1e4 },
                "brevity_penalty": (bleu.brevityPenalty * 1e4).rounded() / 1e4, "hyp_len": bleu.hypothesisLength,
                "ref_len": bleu.referenceLength, "sentences": sources.count, "beam": decoding.beam,
                "lowercase": lowercase, "tokenize": "13a", "seconds": (seconds * 1e3).rounded() / 1e3,
                "sentences_per_second": (Double(sources.count) / max(seconds, 1e-9) * 10).rounded() / 10,
            ]
            try printJSON(object)
        } else {
            print(bleu.description + (lowercase ? " (lowercased, 13a)" : " (13a)"))
        }
    }
}
