/// What a deduplication run found.
public struct DedupResult: Sendable {
    /// The entity of each input row: 0, 1, 2, … in order of first appearance.
    public var clusterIDs: [Int]
    /// Rows whose normalized fields are identical to an earlier row's (merged before scoring).
    public var exactDuplicates: Int
    /// Blocks of the first blocking pass and the block size limit used.
    public var blocks: Int
    public var maxBlockSize: Int
    /// Distinct candidate pairs scored.
    public var candidatePairs: Int
    /// Pairs inside blocks looked at by the cosine filter (with repeats across passes).
    public var examinedPairs: Int
    /// The pair model EM fitted, and the posterior threshold used.
    public var model: FellegiSunterModel?
    public var threshold: Double
    /// Pairs scored above the threshold.
    public var positivePairs: Int
    /// Seconds per stage, in order.
    public var timings: [(stage: String, seconds: Double)]
    public var explanations: [PairExplanation]
    /// What `--report` shows beyond this summary (with `DedupOptions.report`).
    public var report: ReportSample?
    /// The two-component mixture over the pair scores and the threshold it implies.
    public var mixture: MixtureThreshold?

    /// The number of entities.
    public var clusters: Int { (clusterIDs.max() ?? -1) + 1 }

    /// Sizes of the entities with more than one row, largest first.
    public var duplicateGroupSizes: [Int] {
        var sizes = [Int](repeating: 0, count: clusters)
        for id in clusterIDs { sizes[id] += 1 }
        return sizes.filter { $0 > 1 }.sorted(by: >)
    }
}

/// Why a pair was judged as it was: the normalized fields, their similarities, agreement levels and
/// evidence weights log(m/u), and the total log-odds against the threshold.
public struct PairExplanation: Sendable {
    public var rows: (Int, Int)
    public var fields: [(name: String, left: String, right: String, similarity: Double?, level: Int?, weight: Double)]
    /// The term-frequency adjustment for exact agreement on common values (≤ 0).
    public var termFrequency: Double
    public var logOdds: Double
    public var sameEntity: Bool
}
