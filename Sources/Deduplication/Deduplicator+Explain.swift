/// `--explain` and the report: why chosen pairs were judged as they were.
extension Deduplicator {
    /// What the explanations read: the pipeline's values after scoring.
    struct Scored {
        let candidates: CandidatePairs
        let patterns: AgreementPatterns
        let scores: PairScores
        let records: NormalizedRecords
        let exact: ExactDuplicates
        let names: [String]

        /// The signed similarity of candidate pair `index`.
        func weight(_ index: Int) -> Double { scores.weight(pair: index, patterns) }
    }

    /// Up to `options.explain` pairs: the strongest matches, the closest calls and clear non-matches.
    func explain(_ scored: Scored) -> [PairExplanation] {
        let pairs = scored.candidates.pairs
        guard options.explain > 0, !pairs.isEmpty else { return [] }
        let order = pairs.indices.sorted { scored.weight($0) > scored.weight($1) }
        let third = max(1, options.explain / 3)
        var chosen: [Int] = Array(order.prefix(third))
        let close = order.indices.min { abs(scored.weight(order[$0])) < abs(scored.weight(order[$1])) }!
        chosen += order[max(0, close - third / 2)..<min(order.count, close - third / 2 + third)]
        chosen += order.suffix(max(0, options.explain - chosen.count))
        var seen = Set<Int>()
        return chosen.filter { seen.insert($0).inserted }.prefix(options.explain).map { explanation(of: $0, scored) }
    }

    /// The per-field explanation of candidate pair `index`.
    func explanation(of index: Int, _ scored: Scored) -> PairExplanation {
        let records = scored.records, model = scored.scores.model
        let pair = scored.candidates.pairs[index]
        let a = scored.exact.representatives[pair.first], b = scored.exact.representatives[pair.second]
        let pattern = scored.patterns.decode(scored.patterns.codes[index])  // levels as graded, swapped fields found
        let fields = (0..<records.fieldCount).map { f -> (name: String, left: String, right: String, similarity: Double?, level: Int?, weight: Double) in
            let x = records.field(a, f), y = records.field(b, f)
            let level = pattern[f]
            let missing = level == comparator.missing
            return (scored.names[f], records.text(a, f), records.text(b, f), missing ? nil : comparator.similarity(x, y),
                    missing ? nil : Int(level), missing ? 0 : model.weight(field: f, level: Int(level)))
        }
        let recordLevel = Int(pattern[records.fieldCount])
        let record = options.recordLevel ? [(name: "whole record (trigram cosine, any field order)", left: "", right: "",
                      similarity: Optional(Double(scored.candidates.cosines[index])),
                      level: Optional(recordLevel), weight: model.weight(field: records.fieldCount, level: recordLevel))] : []
        let weight = scored.weight(index)
        return PairExplanation(rows: (a, b), fields: fields + record, termFrequency: scored.patterns.adjustment(index),
                               logOdds: weight + scored.scores.offset, sameEntity: weight > 0)
    }
}
