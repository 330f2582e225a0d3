import NeuralCore
import TextProcessing

/// How `TranslationModel.translate` decodes.
public struct TranslationOptions: Sendable {
    /// Beam width; 1 is docs/DESIGN.md's greedy rule, at most `maximumBeam`.
    public var beam: Int = 1
    /// The widest beam accepted. Translation toolkits use beams of 1–50 (Marian, fairseq and
    /// OpenNMT default to 4–6; BLEU falls for beams much wider than 10, Koehn & Knowles 2017), while
    /// time and memory grow linearly with the beam: 50 keeps a sentence within seconds and megabytes.
    public static let maximumBeam = 50
    /// α of the length penalty ((5 + |y|) / 6)^α in beam search.
    public var lengthPenalty: Double = 0
    /// Print the most attended source token instead of `<unk>`.
    public var replaceUnknown = false
    /// Longer sources are translated in pieces of this many tokens (with a warning).
    public var maxSourceTokens = 200
    /// Sentences decoded together (greedy).
    public var batchSize = 64

    public init(beam: Int = 1, lengthPenalty: Double = 0, replaceUnknown: Bool = false, maxSourceTokens: Int = 200, batchSize: Int = 64) {
        self.beam = beam
        self.lengthPenalty = lengthPenalty
        self.replaceUnknown = replaceUnknown
        self.maxSourceTokens = maxSourceTokens
        self.batchSize = batchSize
    }
}

/// One translated line.
public struct TranslationResult: Sendable {
    /// The detokenized translation (empty for an empty line).
    public var text: String
    public var sourceTokens: [String]
    public var targetTokens: [String]
    /// Attention weights, one row per target token over the source tokens (and `<eos>` of each piece).
    public var alignment: [[Float]]
    /// Set when the line was too long and was translated in pieces.
    public var warning: String?
}

extension TranslationModel {
    /// Translates `lines` (in order): tokenizes (and cuts into subword pieces), decodes in
    /// length-sorted batches (greedy or beam), maps ids back to tokens and joins them as `text(_:)`.
    public func translate(_ lines: [String], options: TranslationOptions = TranslationOptions()) -> [TranslationResult] {
        struct Piece { var line: Int; var tokens: [String]; var ids: [Int32] }
        var pieces: [Piece] = []
        var results = [TranslationResult](repeating: TranslationResult(text: "", sourceTokens: [], targetTokens: [], alignment: []), count: lines.count)
        let limit = Swift.max(1, options.maxSourceTokens)
        for (index, line) in lines.enumerated() {
            let tokens = sourceTokens(line)
            results[index].sourceTokens = tokens
            if tokens.count > limit {
                results[index].warning = "line \(index + 1) has \(tokens.count) tokens, more than \(limit): translated in \((tokens.count + limit - 1) / limit) pieces"
            }
            var start = 0
            while start < tokens.count {
                let part = Array(tokens[start..<Swift.min(start + limit, tokens.count)])
                pieces.append(Piece(line: index, tokens: part, ids: sourceVocabulary.encode(part)))
                start += limit
            }
        }
        let specials = targetSpecials
        let hypotheses = decode(pieces.map(\.ids), beam: options.beam, lengthPenalty: options.lengthPenalty, batchSize: options.batchSize)
        var offsets = [Int](repeating: 0, count: lines.count)
        for (piece, h) in zip(pieces, hypotheses) {
            var words = targetVocabulary.decode(h.tokens)
            if options.replaceUnknown {
                for (t, id) in h.tokens.enumerated() where id == specials.unk {
                    let row = h.alignment[t]
                    let best = row.indices.prefix(piece.tokens.count).max { row[$0] < row[$1] }
                    if let best { words[t] = piece.tokens[best] }
                }
            }
            let total = results[piece.line].sourceTokens.count
            let offset = offsets[piece.line]
            for row in h.alignment {
                var full = [Float](repeating: 0, count: total + 1)
                for (j, w) in row.enumerated() {
                    let column = j < piece.tokens.count ? offset + j : total  // <eos> of each piece in the last column
                    full[column] += w
                }
                results[piece.line].alignment.append(full)
            }
            offsets[piece.line] += piece.tokens.count
            results[piece.line].targetTokens += words
        }
        for i in results.indices { results[i].text = text(results[i].targetTokens) }
        return results
    }

    /// Hypotheses for encoded sources (ids without `<eos>`), in order, decoded in length-sorted
    /// batches: `batchSize` sentences greedy, or batchSize / K sentences of K beams each, so that a
    /// decoder step multiplies about `batchSize` rows.
    public func decode(_ sources: [[Int32]], beam: Int = 1, lengthPenalty: Double = 0, batchSize: Int = 64) -> [Hypothesis] {
        let plan = translator.makeDecodingPlan()
        let order = sources.indices.sorted { sources[$0].count < sources[$1].count }
        let perBatch = Swift.max(1, batchSize / Swift.max(1, beam))
        var hypotheses = [Hypothesis](repeating: Hypothesis(tokens: [], alignment: []), count: sources.count)
        var start = 0
        while start < order.count {
            let chunk = Array(order[start..<Swift.min(start + perBatch, order.count)])
            let found = translator.beamSearch(chunk.map { sources[$0] }, beam: Swift.max(1, beam), lengthPenalty: lengthPenalty,
                                              specials: targetSpecials, plan: plan)
            for (i, h) in zip(chunk, found) { hypotheses[i] = h }
            start += chunk.count
        }
        return hypotheses
    }
}
