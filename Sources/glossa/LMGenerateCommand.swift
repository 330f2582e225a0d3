import ArgumentParser
import LanguageModel

/// `glossa lm generate`: continue a prompt by sampling.
struct LMGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt, one sampled word at a time, until <eos> or --max-tokens.",
        discussion: """
        Each word is drawn from the model's distribution sharpened by --temperature (0 takes the most \
        likely word) and restricted to the --top-k most likely; <unk> is never drawn. Prints the \
        prompt followed by the new words. The same --seed gives the same text.
        """
    )

    @OptionGroup var model: LMModelOptions
    @Option(help: "The text to continue (may be empty: the start of a line).")
    var prompt: String
    @Option(help: "Most words to add.")
    var maxTokens = 50
    @Option(help: "Sampling temperature; 0 is greedy.")
    var temperature = 1.0
    @Option(help: "Draw only among the K most likely words (default: all).")
    var topK: Int?
    @Option(help: "Seed of the sampling.")
    var seed: UInt64 = 1

    func validate() throws {
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if !(temperature >= 0) || !temperature.isFinite { throw ValidationError("--temperature must be 0 or more") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        model.threads.apply()
        let predictor = try model.load()
        let words = predictor.generate(prompt: prompt, maxTokens: maxTokens, temperature: temperature, topK: topK, seed: seed)
        print(([prompt].filter { !$0.isEmpty } + words).joined(separator: " "))
    }
}
