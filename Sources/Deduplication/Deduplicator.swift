import Foundation
import MessagePassing

/// Says which rows of a table are the same real-world entity, as a list of stages, each a function
/// from values to a value (`run` reads top to bottom):
///
/// 1. normalize the chosen fields (`AddressNormalizer`) → `NormalizedRecords`;
/// 2. merge rows whose normalized fields are identical → `ExactDuplicates`;
/// 3. a hashed character-trigram TF-IDF vector per distinct row (`NGramVectorizer`) → `SparseRows`;
/// 4. block by recursive k-means (`KMeansBlocking`) in `blockingPasses` seeded passes, and by shared
///    field values (`ValueBlocking`) → `Blocks`;
/// 5. every pair inside a block whose vectors' cosine is at least `minCosine` → `CandidatePairs`;
/// 6. grade each field of each pair (`FieldComparator`, swapped fields found), optionally the whole
///    record → `AgreementPatterns`;
/// 7. fit the Fellegi–Sunter model with three latent classes (matches, related non-matches, others)
///    to the patterns by EM, no labels (`FellegiSunterModel`) → `PairScores`,
///    and a two-component mixture over the pair scores (`MixtureThreshold`), which may set the threshold;
/// 8. group by the chosen method: correlation clustering over the signed pair scores (default),
///    agglomerative clustering, or k-means on the vectors → a label per distinct row;
/// 9. relabel: back to input rows, ids by first appearance.
public struct Deduplicator: Sendable {
    public var options: DedupOptions
    let normalizer: AddressNormalizer
    let comparator: FieldComparator

    public init(options: DedupOptions = DedupOptions()) throws {
        self.options = options
        comparator = FieldComparator(tokenSet: options.tokenSet)
        normalizer = try AddressNormalizer()
    }

    /// Deduplicates `rows` on the columns `fields` (named `fieldNames` in explanations). `progress`
    /// hears the name and seconds of each stage as it finishes. The rows are let go once normalized
    /// (a caller that hands over its last copy holds no raw rows during the run).
    public func run(rows: consuming CSVRows, fields: [Int], fieldNames: [String]? = nil,
                    progress: ((String, Double) -> Void)? = nil) throws -> DedupResult {
        var clock = Stopwatch(progress: progress)
        let records = clock.time("normalize") { [rows] in NormalizedRecords(rows: rows, fields: fields, normalizer: normalizer) }
        rows = CSVRows()  // let go: the caller may have handed over its last copy
        let exact = clock.time("exact duplicates") { ExactDuplicates(records) }
        let vectors = clock.time("vectorize") { vectorize(records, exact) }
        var blocks = clock.time("k-means blocking") { block(vectors) }
        clock.time("value blocking") { blocks.members += valueBlocking?.blocks(records, representatives: exact.representatives) ?? [] }
        let candidates = clock.time("candidate pairs") { CandidatePairs(blocks: blocks.members, vectors: vectors, minCosine: options.minCosine) }
        blocks.members = []  // the largest structure so far; not needed again
        let frequencies = clock.time("term frequencies") {
            options.termFrequencies ? TermFrequencies(records, representatives: exact.representatives) : nil
        }
        let patterns = clock.time("compare pairs") {
            AgreementPatterns(candidates, records: records, representatives: exact.representatives, comparator: comparator,
                              recordLevel: options.recordLevel, termFrequencies: frequencies)
        }
        var scores = clock.time("EM pair model") { PairScores(patterns, levels: comparator.levels, classes: options.classes, threshold: options.threshold ?? 0.5) }
        let mixture = clock.time("score mixture") {
            MixtureThreshold(pairs: candidates.pairs.count, seed: options.seed) { scores.weight(pair: $0, patterns) + scores.offset }
        }
        if options.mixtureThreshold, let mixture { scores = scores.moved(toLogOdds: mixture.logOdds) }
        let graph = clock.time("components") { componentGraph(count: exact.representatives.count, candidates, patterns, scores, SingleProcessCommunicator()) }
        var labels = clock.time("correlation clustering") { CorrelationClustering(seed: options.seed).cluster(graph.graph) }
        if options.method != .correlation {
            labels = try clock.time("\(options.method.rawValue) clustering") {
                try clusterOtherwise(graph.graph, records, exact, entities: Set(labels).count)
            }
        }
        let clusterIDs = relabel(labels, exact)

        let scored = Scored(candidates: candidates, patterns: patterns, scores: scores, records: records, exact: exact,
                            names: fieldNames ?? fields.map { "field \($0)" })
        let report = options.report ? clock.time("report sample") { reportSample(scored, clusterIDs: clusterIDs) } : nil
        return DedupResult(clusterIDs: clusterIDs, exactDuplicates: exact.merged, blocks: blocks.firstPassCount,
                           maxBlockSize: blocks.maxSize, candidatePairs: candidates.pairs.count, examinedPairs: candidates.examined,
                           model: scores.model, threshold: scores.threshold, positivePairs: graph.positivePairs,
                           timings: clock.laps, explanations: explain(scored), report: report, mixture: mixture)
    }

    /// `run` on rows given as arrays of strings (small tables, tests).
    public func run(rows: [[String]], fields: [Int], fieldNames: [String]? = nil,
                    progress: ((String, Double) -> Void)? = nil) throws -> DedupResult {
        try run(rows: CSVRows(rows), fields: fields, fieldNames: fieldNames, progress: progress)
    }

    /// Stage 3: the unsalted trigram TF-IDF vectors of the distinct rows (unsalted: the same trigram
    /// in any field is one feature, so swapped fields still look alike).
    func vectorize(_ records: NormalizedRecords, _ exact: ExactDuplicates) -> SparseRows {
        vectorize(records, rows: exact.representatives)
    }

    /// Stage 3 on the distinct rows `rows` of `records` (on N ranks: each rank's share of them).
    func vectorize(_ records: NormalizedRecords, rows: [Int], communicator: any Communicator = SingleProcessCommunicator()) -> SparseRows {
        NGramVectorizer(saltFields: false).vectors(records, rows: rows, communicator: communicator)
    }

    /// The blocks of all blocking passes, the first pass's block count and the block size limit.
    struct Blocks {
        var members: [[Int]]
        var firstPassCount: Int
        var maxSize: Int
    }

    /// Stage 4: `blockingPasses` recursive k-means blockings with different seeds, blocks concatenated
    /// (on N ranks: `DistributedBlocking`, the same blocks).
    func block(_ vectors: SparseRows) -> Blocks {
        let passes = blockings(rows: vectors.count)
        let blocks = KMeansBlocking.blocks(vectors, passes)
        return Blocks(members: Array(blocks.joined()), firstPassCount: blocks[0].count, maxSize: passes[0].maxBlockSize)
    }

    /// The `blockingPasses` seeded k-means blockings of `rows` distinct rows.
    func blockings(rows: Int) -> [KMeansBlocking] {
        let maxSize = options.blockSize(rows: rows)
        return (0..<max(1, options.blockingPasses)).map { KMeansBlocking(maxBlockSize: maxSize, seed: options.seed &+ UInt64($0) &* 7919) }
    }

    /// Stage 4b: blocks of rows sharing a field's value, or nil when `maxValueGroup` is 0 (none).
    var valueBlocking: ValueBlocking? { options.maxValueGroup > 0 ? ValueBlocking(maxGroup: options.maxValueGroup) : nil }

    /// Stage 8 for the other methods: agglomerative clustering of the same graph, or k-means on the
    /// distinct rows' vectors with k = `options.k` or `entities`.
    func clusterOtherwise(_ graph: SignedGraph, _ records: NormalizedRecords, _ exact: ExactDuplicates, entities: Int) throws -> [Int] {
        let representatives = exact.representatives
        let n = representatives.count
        let k = min(n, options.k ?? entities)
        switch options.method {
        case .correlation:
            return CorrelationClustering(seed: options.seed).cluster(graph)
        case .agglomerative:
            guard let labels = AgglomerativeClustering().cluster(graph) else {
                throw DedupError("agglomerative clustering is for small inputs: a group of linked rows has more than 3000 rows; use --method correlation")
            }
            return labels
        case .kmeans:
            // Keep the (D, k) centroid table within 64 M floats (256 MB).
            var dimension = 1 << 14
            while dimension > 1 << 10 && dimension * k > 1 << 26 { dimension >>= 1 }
            let vectors = NGramVectorizer(dimension: dimension).vectors(records, rows: representatives)
            return KMeans(k: max(1, k), restarts: n * k > 10_000_000 ? 1 : 3, seed: options.seed).fit(vectors).assignments.map(Int.init)
        }
    }

    /// Stage 9: a cluster id per input row, 0, 1, 2, … by first appearance. Labels are distinct
    /// rows' indices (every method's are below `labels.count`), so each label's id is kept in an
    /// array indexed by the label.
    func relabel(_ labels: [Int], _ exact: ExactDuplicates) -> [Int] {
        precondition(labels.allSatisfy { $0 >= 0 && $0 < labels.count }, "labels are row indices")
        var idOf = [Int](repeating: -1, count: labels.count)
        var next = 0
        return exact.representativeOf.map { representative in
            let label = labels[representative]
            if idOf[label] < 0 {
                idOf[label] = next
                next += 1
            }
            return idOf[label]
        }
    }
}

/// A deduplication request that cannot be carried out (the message says what to do instead).
public struct DedupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Wall-clock laps.
struct Stopwatch {
    var progress: ((String, Double) -> Void)?
    var last = DispatchTime.now().uptimeNanoseconds
    var laps: [(stage: String, seconds: Double)] = []

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((stage, Double(now - last) / 1e9))
        progress?(stage, laps.last!.seconds)
        last = now
    }

    /// Runs one stage and records its time.
    mutating func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let value = try body()
        lap(stage)
        return value
    }
}
