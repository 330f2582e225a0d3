/// `--explain`: why chosen pairs were judged as they were.
extension Deduplicator {
    /// Up to `options.explain` pairs: the strongest matches, the closest calls and clear non-matches.
    func explain(_ candidates: CandidatePairs, _ patterns: AgreementPatterns, _ scores: PairScores,
                 _ records: NormalizedRecords, _ exact: ExactDuplicates, names: [String]) -> [PairExplanation] {
        let pairs = candidates.pairs
        guard options.explain > 0, !pairs.isEmpty else { return [] }
        let weight = { (index: Int) in scores.weight(patterns.codes[index]) }
        let order = pairs.indices.sorted { weight($0) > weight($1) }
        let third = max(1, options.explain / 3)
        var chosen: [Int] = Array(order.prefix(third))
        let close = order.indices.min { abs(weight(order[$0])) < abs(weight(order[$1])) }!
        chosen += order[max(0, close - third / 2)..<min(order.count, close - third / 2 + third)]
        chosen += order.suffix(max(0, options.explain - chosen.count))
        var seen = Set<Int>()
        return chosen.filter { seen.insert($0).inserted }.prefix(options.explain).map { index in
            let a = exact.representatives[pairs[index].first], b = exact.representatives[pairs[index].second]
            let model = scores.model
            let fields = (0..<records.fieldCount).map { f -> (name: String, left: String, right: String, similarity: Double?, level: Int?, weight: Double) in
                let x = records.field(a, f), y = records.field(b, f)
                let level = comparator.level(x, y)
                let missing = level == comparator.missing
                return (names[f], records.text(a, f), records.text(b, f), missing ? nil : comparator.similarity(x, y),
                        missing ? nil : Int(level), missing ? 0 : model.weight(field: f, level: Int(level)))
            }
            let recordLevel = Int(patterns.codes[index] % patterns.base)
            let record = (name: "whole record (trigram cosine, any field order)", left: "", right: "", similarity: Optional(Double(candidates.cosines[index])),
                          level: Optional(recordLevel), weight: model.weight(field: records.fieldCount, level: recordLevel))
            return PairExplanation(rows: (a, b), fields: fields + [record], logOdds: weight(index) + scores.offset, sameEntity: weight(index) > 0)
        }
    }
}
