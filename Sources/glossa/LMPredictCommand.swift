import ArgumentParser
import Foundation
import LanguageModel
import TextProcessing

/// `glossa lm predict`: the most likely next words of a prompt.
struct LMPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "The most likely next words of a prompt, with their probabilities.",
        discussion: """
        The prompt is read as the start of a line. Without a PROMPT argument each line of standard \
        input is a prompt, and each answer starts with a line "> PROMPT".

        Example:
          glossa lm predict --model ptb-small --top-k 3 "the stock"
            market	0.4012
            exchange	0.1163
            price	0.0341
        """
    )

    @OptionGroup var model: LMModelOptions
    @Option(help: "How many words to show.")
    var topK = 10
    @Flag(help: "Print one JSON object per prompt: {\"prompt\": …, \"predictions\": [{\"token\": …, \"probability\": …}]}.")
    var json = false
    @Argument(help: "The prompt (default: one prompt per line of standard input).")
    var prompt: String?

    func validate() throws {
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        model.threads.apply()
        let predictor = try model.load()
        if let prompt {
            answer(prompt, predictor: predictor, header: false)
            return
        }
        let reader = try LineReader(path: nil)
        try reader.forEachLine { line in
            answer(String(decoding: line, as: UTF8.self), predictor: predictor, header: true)
        }
    }

    func answer(_ prompt: String, predictor: NextWordPredictor, header: Bool) {
        let predictions = predictor.predict(prompt, topK: topK)
        if json {
            let object: [String: Any] = ["prompt": prompt,
                                         "predictions": predictions.map { ["token": $0.token, "probability": $0.probability] }]
            try? printJSON(object)
            return
        }
        if header { print("> " + prompt) }
        for p in predictions { print(String(format: "%@\t%.4f", p.token, p.probability)) }
    }
}
