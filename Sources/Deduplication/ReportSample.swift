/// What the HTML report shows of a run beyond the cluster ids: the distribution of pair scores,
/// the learned weights, and a bounded sample of clusters (the largest, the most doubtful, a random
/// few) with the explanations of their scored pairs. Its size does not grow with the input.
public struct ReportSample: Sendable {
    /// A group of rows shown side by side: one cluster, or two clusters a doubtful pair joins or splits.
    public struct Group: Sendable {
        /// "largest", "doubtful" or "random".
        public var kind: String
        /// The cluster ids in the group.
        public var clusters: [Int]
        /// Input rows shown (at most `ReportSample.rowsPerGroup`), and how many the clusters hold.
        public var rows: [Int]
        public var size: Int
        /// Scored pairs among the group's rows, closest calls first (at most `pairsPerGroup`).
        public var pairs: [PairExplanation]
    }

    public static let groupsPerKind = 12
    public static let rowsPerGroup = 40
    public static let pairsPerGroup = 12

    /// Scored pairs by log-odds: bin i covers [lower + i·width, lower + (i+1)·width); the ends
    /// hold everything beyond.
    public var histogramLower: Double
    public var histogramWidth: Double
    public var histogram: [Int]
    /// The log-odds a pair must exceed (logit of the threshold).
    public var thresholdLogOdds: Double
    /// The learned weight log(m/u) of each field's levels (field names; the last is the whole record).
    public var levelWeights: [(field: String, weights: [Double])]
    public var groups: [Group]
}

extension Deduplicator {
    /// The report's sample of a finished run (`clusterIDs` per input row).
    func reportSample(_ scored: Scored, clusterIDs: [Int]) -> ReportSample {
        let pairs = scored.candidates.pairs
        let weights = pairs.indices.map { scored.weight($0) + scored.scores.offset }
        let lower = -40.0, width = 2.0
        var histogram = [Int](repeating: 0, count: 40)
        for w in weights { histogram[min(39, max(0, Int(((w - lower) / width).rounded(.down))))] += 1 }
        let model = scored.scores.model
        var names = scored.names
        if options.recordLevel { names.append("whole record") }
        let levelWeights = names.indices.map { f in (field: names[f], weights: (0..<model.levels).map { model.weight(field: f, level: $0) }) }

        // Members of every cluster, in input order.
        let clusterCount = (clusterIDs.max() ?? -1) + 1
        var sizes = [Int](repeating: 0, count: clusterCount)
        for id in clusterIDs { sizes[id] += 1 }
        let clusterOf = { (pair: PairKey) in (clusterIDs[scored.exact.representatives[pair.first]], clusterIDs[scored.exact.representatives[pair.second]]) }

        var chosen: [(kind: String, clusters: [Int])] = []
        var used = Set<Int>()
        for id in sizes.indices.filter({ sizes[$0] > 1 }).sorted(by: { sizes[$0] > sizes[$1] }).prefix(ReportSample.groupsPerKind) {
            chosen.append(("largest", [id]))
            used.insert(id)
        }
        var doubtful = 0
        for index in pairs.indices.sorted(by: { abs(weights[$0] - scored.scores.offset) < abs(weights[$1] - scored.scores.offset) }) {
            guard doubtful < ReportSample.groupsPerKind else { break }
            let (x, y) = clusterOf(pairs[index])
            let ids = x == y ? [x] : [min(x, y), max(x, y)]
            if ids.contains(where: used.contains) { continue }
            chosen.append(("doubtful", ids))
            used.formUnion(ids)
            doubtful += 1
        }
        var generator = SplitMix64(seed: options.seed &+ 17)
        let multi = sizes.indices.filter { sizes[$0] > 1 && !used.contains($0) }
        for id in multi.shuffled(using: &generator).prefix(ReportSample.groupsPerKind / 2) { chosen.append(("random", [id])) }

        // Rows and pairs of the chosen clusters, in one pass each.
        var groupOf: [Int: Int] = [:]
        for (g, group) in chosen.enumerated() { for id in group.clusters { groupOf[id] = g } }
        var rows = [[Int]](repeating: [], count: chosen.count)
        for (row, id) in clusterIDs.enumerated() {
            if let g = groupOf[id], rows[g].count < ReportSample.rowsPerGroup { rows[g].append(row) }
        }
        var pairIndices = [[Int]](repeating: [], count: chosen.count)
        for index in pairs.indices {
            let (x, y) = clusterOf(pairs[index])
            if let g = groupOf[x], groupOf[y] == g { pairIndices[g].append(index) }
        }
        let groups = chosen.indices.map { g in
            let closest = pairIndices[g].sorted { abs(scored.weight($0)) < abs(scored.weight($1)) }.prefix(ReportSample.pairsPerGroup)
            return ReportSample.Group(kind: chosen[g].kind, clusters: chosen[g].clusters, rows: rows[g],
                                      size: chosen[g].clusters.reduce(0) { $0 + sizes[$1] }, pairs: closest.map { explanation(of: $0, scored) })
        }
        return ReportSample(histogramLower: lower, histogramWidth: width, histogram: histogram, thresholdLogOdds: scored.scores.offset,
                            levelWeights: levelWeights, groups: groups)
    }
}
