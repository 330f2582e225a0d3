import NeuralCore

/// The sizes and kinds that fix a translator's tensors (the architecture part of `config.json`).
/// Shapes: E embedding, H hidden (the decoder's; the encoder's per direction is H/2 when
/// bidirectional), L layers, Vs / Vt source / target vocabulary.
public struct TranslatorArchitecture: Codable, Equatable, Sendable {
    public var cell: RecurrentCell
    public var embeddingSize: Int
    public var hiddenSize: Int
    public var numLayers: Int
    public var bidirectionalEncoder: Bool
    public var sourceVocabSize: Int
    public var targetVocabSize: Int
    /// Greedy and beam search stop after ⌈r · n⌉ + 5 tokens (n source tokens before `<eos>`).
    public var maxOutputRatio: Double

    public init(cell: RecurrentCell = .gru, embeddingSize: Int, hiddenSize: Int, numLayers: Int = 1,
                bidirectionalEncoder: Bool = true, sourceVocabSize: Int, targetVocabSize: Int, maxOutputRatio: Double = 1.5) {
        self.cell = cell
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bidirectionalEncoder = bidirectionalEncoder
        self.sourceVocabSize = sourceVocabSize
        self.targetVocabSize = targetVocabSize
        self.maxOutputRatio = maxOutputRatio
    }

    /// The keys of `config.json` (docs/DESIGN.md, "Checkpoint contract").
    enum CodingKeys: String, CodingKey {
        case cell, embeddingSize = "embedding_size", hiddenSize = "hidden_size", numLayers = "num_layers"
        case bidirectionalEncoder = "bidirectional_encoder"
        case sourceVocabSize = "source_vocab_size", targetVocabSize = "target_vocab_size", maxOutputRatio = "max_output_ratio"
    }

    /// Encoder directions D (2 when bidirectional).
    public var directions: Int { bidirectionalEncoder ? 2 : 1 }
    /// Hidden size of one encoder direction H_e = H / D.
    public var encoderHiddenSize: Int { hiddenSize / directions }

    /// The most tokens decoded for a source of n tokens (before `<eos>`): ⌈r · n⌉ + 5.
    public func outputLimit(sourceTokens n: Int) -> Int {
        Int((maxOutputRatio * Double(n)).rounded(.up)) + 5
    }

    /// Checks what a user could get wrong in a config or on the command line.
    public func validate() throws -> Void {
        guard embeddingSize > 0, hiddenSize > 0, numLayers > 0 else {
            throw ArchitectureError("embedding, hidden and layer sizes must be positive")
        }
        guard !bidirectionalEncoder || hiddenSize % 2 == 0 else {
            throw ArchitectureError("a bidirectional encoder needs an even hidden size (each direction gets H/2), got \(hiddenSize)")
        }
        guard [.gru, .lstm, .rnnTanh].contains(cell) else {
            throw ArchitectureError("the translator supports the cells gru, lstm and rnn_tanh, not \(cell.rawValue)")
        }
        guard maxOutputRatio > 0 else { throw ArchitectureError("max_output_ratio must be positive") }
    }
}

/// An architecture that cannot be built.
public struct ArchitectureError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
