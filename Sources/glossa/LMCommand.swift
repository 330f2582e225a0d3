import ArgumentParser

/// `glossa lm`: train a next-word predictor, measure its perplexity, predict and generate.
struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Train a next-word predictor (an embedding + RNN language model), measure perplexity, predict, generate.",
        discussion: """
        A model is a directory: config.json, model.safetensors (the tensor names of PyTorch's \
        word_language_model RNNModel, so either side loads the other's) and vocab.txt. Text is read as \
        one stream: each line's tokens, then <eos>.

        Examples:
          glossa lm train --train ptb.train.txt --valid ptb.valid.txt --test ptb.test.txt \\
              --tokenizer whitespace --output ptb-small
          glossa lm eval --model ptb-small --text ptb.test.txt
          glossa lm predict --model ptb-small "the stock market"
          glossa lm generate --model ptb-small --prompt "the company said" --max-tokens 20
        """,
        subcommands: [LMTrainCommand.self, LMEvalCommand.self, LMPredictCommand.self, LMGenerateCommand.self]
    )
}

