import ArgumentParser

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
        subcommands: [VocabBuildCommand.self, VocabEncodeCommand.self, VocabDecodeCommand.self, VocabBPELearnCommand.self]
    )
}
