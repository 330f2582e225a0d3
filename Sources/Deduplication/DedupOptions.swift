/// How rows are grouped into entities once pairs are scored.
public enum ClusteringMethod: String, CaseIterable, Sendable {
    /// k-means blocking, Fellegi–Sunter pair scores, correlation clustering (the default).
    case correlation
    /// The same scored pairs, grouped by average-linkage agglomerative clustering.
    case agglomerative
    /// k-means on the rows' TF-IDF vectors; each cluster is an entity.
    case kmeans
}

/// Settings of a deduplication run. Every value left nil is chosen from the data.
public struct DedupOptions: Sendable {
    public var method: ClusteringMethod = .correlation
    /// Clusters for `kmeans`; nil uses the number of entities the scored pairs imply.
    public var k: Int?
    /// The posterior match probability above which a pair counts as the same entity; nil is 0.5
    /// (the pair is more likely a match than not under the model EM fitted to this data).
    public var threshold: Double?
    /// Set the threshold instead by a two-component Gaussian mixture over the pairs' log-odds
    /// (`MixtureThreshold`), without labels.
    public var mixtureThreshold = false
    /// The largest block whose pairs are all compared; nil picks it from the row count so that about
    /// `pairBudget` pairs are scored.
    public var maxBlockSize: Int?
    /// Independent blockings (different seeds) whose candidate pairs are united, for recall (a
    /// fourth pass cost a quarter more blocking for F1 0.9998 → 0.9999 on generated data; a third
    /// half as much again for 1M generated rows' F1 0.9994 → 0.9997).
    public var blockingPasses: Int = 2
    /// Rows sharing a field's value (at most this many rows hold it) are a block too
    /// (`ValueBlocking`); 0 turns that off.
    public var maxValueGroup: Int = 20
    /// About how many pairs inside blocks to look at when `maxBlockSize` is nil.
    public var pairBudget: Int = 40_000_000
    /// Pairs in a block whose trigram vectors have a lower cosine are not scored (not duplicates).
    public var minCosine: Float = 0.3
    public var seed: UInt64 = 0
    /// Term-frequency adjustment: exact agreement on a common value is weaker evidence (`TermFrequencies`).
    public var termFrequencies = true
    /// Word order in text fields does not count (`FieldComparator.tokenSet`).
    public var tokenSet = true
    /// The whole-record trigram cosine is a field of the pair model (it catches swapped fields, and
    /// counts again what the fields already say).
    public var recordLevel = false
    /// Latent classes of the pair model (`FellegiSunterModel`): 2 is the classic match / non-match
    /// model; 3 leaves room for related rows that are not the same (neighbours at one address).
    public var classes = 3
    /// Collect a `ReportSample` for the HTML report.
    public var report = false
    /// How many pairs to describe in `DedupResult.explanations`.
    public var explain: Int = 0

    public init() {}

    /// The block size for `rows` distinct rows.
    public func blockSize(rows: Int) -> Int {
        if let maxBlockSize { return maxBlockSize }
        let size = 2 * pairBudget / max(1, rows * blockingPasses)
        return min(500, max(40, size))
    }
}
