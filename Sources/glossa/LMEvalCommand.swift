import ArgumentParser
import Foundation
import LanguageModel

/// `glossa lm eval`: perplexity of a text file read as one stream.
struct LMEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Perplexity of a text file under a model.",
        discussion: """
        The file is read as one stream (each line's tokens, then <eos>). With --batch-size 1 (the \
        default) the hidden state runs through the whole stream and the result is exp of the mean \
        negative log-likelihood of every token after the first, whatever --bptt is. With B > 1 the \
        stream is cut into B columns (faster; the first tokens of each column have less context). A \
        subword model (lm train --bpe) also reports the perplexity per word, comparable with a word \
        model's: the pieces' log-probabilities summed per word, over the number of words (<eos> one).
        """
    )

    @OptionGroup var model: LMModelOptions
    @Option(help: ArgumentHelp("The text to measure (- for standard input).", valueName: "FILE"))
    var text: String
    @Option(help: "Columns the stream is cut into (default 1: the exact stream perplexity).")
    var batchSize = 1
    @Option(help: "Steps per chunk (default 35).")
    var bptt = 35
    @Flag(help: "Print one JSON object: perplexity, loss (nats per token), tokens (predicted), batch_size, bptt.")
    var json = false

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if bptt < 1 { throw ValidationError("--bptt must be at least 1") }
    }

    func run() throws {
        model.threads.apply()
        let predictor = try model.load()
        let result = try predictor.perplexity(file: text, batchSize: batchSize, bptt: bptt)
        if json {
            var object: [String: Any] = ["perplexity": result.perplexity, "loss": result.loss, "tokens": result.tokens,
                                         "batch_size": batchSize, "bptt": bptt, "file": text, "model": model.model]
            if let perWord = result.perWordPerplexity, let words = result.words {
                object["word_perplexity"] = perWord
                object["words"] = words
            }
            try printJSON(object)
        } else {
            print(String(format: "perplexity %.4f over %d tokens (loss %.6f nats per token)", result.perplexity, result.tokens, result.loss))
            if let perWord = result.perWordPerplexity, let words = result.words {
                print(String(format: "per word: perplexity %.4f over %d words (<eos> counted as a word)", perWord, words))
            }
        }
    }
}
