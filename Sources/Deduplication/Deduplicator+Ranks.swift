import CAllocator
import Foundation
import MessagePassing

/// `Deduplicator` on the N ranks of an MPI job, giving exactly the partition of one process (the
/// 1-process run is the oracle). Where the work is done:
///
/// - read and parse: each rank its own byte range (`CSVParser.parseShare`);
/// - normalize: each rank its own rows; the normalized fields (~50 bytes a row) are then allgathered,
///   so every rank holds all of them in input order for exact duplicates and value blocking;
/// - exact duplicates, term frequencies: hash-partitioned, each row's (each value's) hash counted
///   on the rank that owns it (`KeyGroups`), the groups (the common values) allgathered; value
///   blocking likewise: each rank keys its share of the distinct rows, each value block is formed
///   on the rank that owns its key and its pairs found there, its rows' vectors asked for and sent;
/// - vectorize: each rank a consecutive 1/N of the distinct rows, document frequencies by an integer
///   allreduce; the vectors stay where they were computed. From here each rank keeps only its
///   tile of the normalized rows (`tile`: the input rows its distinct rows come from, 1/N of them)
///   until the tiles are allgathered again to compare;
/// - k-means blocking and candidate pairs (`DistributedBlocking`): the passes together, their top
///   splits across ranks (samples gathered, rows assigned where they are held), then each subtree
///   on one rank, its rows' vectors sent there; pair (a, b) a < b sent to rank a mod N in one
///   exchange after all blocks and kept there once (`CandidatePairs(kept:cosines:examined:)`),
///   however many blocks found it; the vectors let go before that exchange;
/// - comparison on the rank that keeps the pair (the normalized rows let go after it); EM on the
///   allreduced agreement-pattern counts (integers, so independent of N), each iteration's sums
///   shared out in fixed chunks of patterns (`EMSums`);
/// - the score mixture (`MixtureThreshold`, a fit over every pair's score) is not computed;
/// - clustering: the components of positive pairs found by label propagation between ranks
///   (`ComponentLabels`), each component's pairs sent to one rank and clustered there
///   (`componentGraph`); the rows' labels allgathered.
///
/// A floating-point sum crosses ranks only as fixed chunks' sums added in chunk order (the EM fit),
/// so nothing depends on N.
extension Deduplicator {
    /// Deduplicates this rank's `rows` (rows firstRow ..< firstRow + rows.count of the whole input;
    /// let go once normalized) with the other ranks of `communicator` (a collective call). Returns the cluster ids of ALL
    /// input rows on every rank. Only the correlation method, without report, explanations or the
    /// mixture threshold (`glossa dedup` refuses those under mpirun).
    public func run(rows: consuming CSVRows, fields: [Int], communicator: any Communicator,
                    progress: ((String, Double) -> Void)? = nil) -> DedupResult {
        precondition(options.method == .correlation && !options.report && options.explain == 0 && !options.mixtureThreshold,
                     "the N-rank run is correlation clustering without report, explanations or mixture threshold")
        Self.keepFreedMemory()
        var clock = Stopwatch(progress: progress)
        let local = clock.time("normalize") { [rows] in NormalizedRecords(rows: rows, fields: fields, normalizer: normalizer) }
        rows = CSVRows()  // as in one process: let go once normalized
        var records = clock.time("gather normalized") { NormalizedRecords.allgather(local, communicator) }
        let exact = clock.time("exact duplicates") { ExactDuplicates(records, communicator: communicator) }
        let distinct = exact.representatives.count
        let shares = (0..<communicator.size).map { Parallel.range($0, of: communicator.size, count: distinct) }
        var valueBlocks = clock.time("value blocking") {
            Self.fromHeapOnly {
                valueBlocking?.blocks(records, representatives: exact.representatives, share: shares[communicator.rank], communicator: communicator) ?? FlatBlocks()
            }
        }
        // From here until comparing, this rank holds only its tile of the rows (those its vectors
        // come from); the tiles are gathered again to compare.
        let tile = Self.tile(shares[communicator.rank], exact.representatives, rows: records.count)
        records = records.rows(tile)
        var blocking = clock.time("vectorize") {
            DistributedBlocking(vectors: vectorize(records, tileOf: exact, from: tile.lowerBound, communicator: communicator),
                                shares: shares, communicator: communicator)
        }
        let blockings = blockings(rows: distinct)
        let (candidates, firstPassBlocks) = clock.time("blocking and candidate pairs") {
            let blocks = valueBlocks
            valueBlocks = FlatBlocks()  // the only copy is handed over
            return Self.fromHeapOnly { blocking.candidatePairs(blockings, valueBlocks: consume blocks, minCosine: options.minCosine) }
        }
        records = clock.time("gather normalized again") { NormalizedRecords.allgather(records, communicator) }
        let frequencies = clock.time("term frequencies") {
            options.termFrequencies ? TermFrequencies(records, representatives: exact.representatives, communicator: communicator) : nil
        }
        let localPatterns = clock.time("compare pairs") {
            AgreementPatterns(candidates, records: records, representatives: exact.representatives, comparator: comparator,
                              recordLevel: options.recordLevel, termFrequencies: frequencies)
        }
        records = NormalizedRecords(fieldCount: records.fieldCount)
        let patterns = AgreementPatterns(localPatterns, counts: AgreementPatterns.allreduceCounts(localPatterns.counts, communicator))
        let scores = clock.time("EM pair model") { PairScores(patterns, levels: comparator.levels, classes: options.classes, threshold: options.threshold ?? 0.5,
                                                                   communicator: communicator) }
        let graph = clock.time("components") { componentGraph(count: distinct, candidates, patterns, scores, communicator) }
        let labels = clock.time("correlation clustering") {
            gatherLabels(CorrelationClustering(seed: options.seed).cluster(graph.graph), communicator)
        }
        let clusterIDs = relabel(labels, exact)
        let sum = { (value: Int) in Int(communicator.allreduceSum(Int64(value))) }
        return DedupResult(clusterIDs: clusterIDs, exactDuplicates: exact.merged, blocks: firstPassBlocks,
                           maxBlockSize: blockings[0].maxBlockSize, candidatePairs: sum(candidates.pairs.count), examinedPairs: sum(candidates.examined),
                           model: scores.model, threshold: scores.threshold, positivePairs: graph.positivePairs,
                           timings: clock.laps, explanations: [], report: nil, mixture: nil)
    }

    /// Has glibc's allocator keep freed blocks below 32 MB for reuse instead of handing them back
    /// to the kernel (`glossa_keep_freed_memory`: mmap threshold fixed at 32 MB, its highest; no
    /// trimming of the heap's top), whence every page of the next such block would be faulted in
    /// again, zeroed. The N-rank run allocates and frees the same buffers round after round
    /// (`DistributedBlocking`: the vectors it sends and receives, the subtrees' copies of them): 1M
    /// rows on 2 ranks spent 1.5–2.3 s of system time per rank with glibc's defaults, 0.9–1.05 s
    /// with these (load 3.8–4.7). Blocks above 32 MB are still mapped on their own, except while
    /// blocking (`fromHeapOnly`). Process-wide and once. Whether glibc took both settings; nil when
    /// the allocator is not glibc's (a sanitizer's).
    @discardableResult
    static func keepFreedMemory() -> Bool? {
        glibcAnswer(glossa_keep_freed_memory())
    }

    /// `body`, with every block taken from the heap, where a freed block stays for reuse, instead of
    /// blocks above 32 MB mapped on their own (`mapLargeBlocks`). Value blocking and the blocking
    /// rounds (`DistributedBlocking`) allocate and free buffers of tens of MB (the keys and the
    /// vectors sent and received, round after round); mapped on their own, each is unmapped when
    /// freed and every page of the next one faulted in again, zeroed, partly inside MPI's copies.
    /// Blocking, at 1M rows on 2 ranks (2026-12-03, three alternate pairs, load 1.9): 4.17–4.32 s
    /// against 4.30–4.56 s, 173k + 207k minor faults against 210k–272k a rank, peak 544 + 526 MB
    /// against 571 + 577 MB. Value blocking too (2026-12-04, 1M rows, six alternate pairs, load
    /// 0.47–0.9): 162–174k faults a rank against 198–209k, value blocking 0.26–0.32 s against
    /// 0.33–0.48 s, 40 MB more peak a rank (its freed keys stay in the heap for the rounds); 10M
    /// rows: the same peak (3,126 + 3,533 MiB against 3,137 + 3,536 MiB), 0.3–0.4M fewer faults a
    /// rank. Only those two stages: heap-only for the whole run fragmented the heap at 10M rows on
    /// 2 ranks (5,096 + 5,366 MiB peak, against 3,479 + 3,118 MiB with heap-only blocking and
    /// 3,111 + 3,448 MiB with neither).
    static func fromHeapOnly<T>(_ body: () -> T) -> T {
        mapLargeBlocks(false)
        defer { mapLargeBlocks(true) }
        return body()
    }

    /// Lets glibc map blocks above its mmap threshold on their own (`map`, its default) or not.
    /// Process-wide. Whether glibc took the setting; nil when the allocator is not glibc's.
    @discardableResult
    static func mapLargeBlocks(_ map: Bool) -> Bool? {
        glibcAnswer(glossa_map_large_blocks(map ? 1 : 0))
    }

    /// A CAllocator setter's result: whether glibc took the setting (1), nil when the allocator is
    /// not glibc's (−1).
    private static func glibcAnswer(_ result: Int32) -> Bool? {
        result < 0 ? nil : result == 1
    }

    /// The input rows from the first of the distinct rows `share` (indices into `representatives`)
    /// up to the first of the next share's (the last share: to the last of all `rows`): the ranks'
    /// tiles, in rank order, are all the rows once, and each holds the rows its share is made of.
    static func tile(_ share: Range<Int>, _ representatives: [Int], rows: Int) -> Range<Int> {
        let start = { (index: Int) in index == 0 ? 0 : index < representatives.count ? representatives[index] : rows }
        return start(share.lowerBound)..<(share.upperBound == representatives.count ? rows : start(share.upperBound))
    }

    /// Stage 3 on this rank's `tile` of the rows only (`records`, its row 0 being row `first`): the
    /// vectors of its share of `exact`'s distinct rows.
    func vectorize(_ records: NormalizedRecords, tileOf exact: ExactDuplicates, from first: Int, communicator: any Communicator) -> SparseRows {
        // Only this rank's share of the rows is read, so only those need to be within the tile.
        vectorize(records, rows: exact.representatives.map { $0 - first }, communicator: communicator)
    }

    /// The N-rank `run` on rows given as arrays of strings (tests).
    public func run(rows: [[String]], fields: [Int], communicator: any Communicator) -> DedupResult {
        run(rows: CSVRows(rows), fields: fields, communicator: communicator)
    }

    /// Every rank's cluster labels of the components it clustered (the others are singletons
    /// there), on every rank: the rows whose label is not their own, allgathered.
    func gatherLabels(_ labels: [Int], _ communicator: any Communicator) -> [Int] {
        var moved: [Int64] = []
        for (row, label) in labels.enumerated() where label != row { moved.append(Int64(row)); moved.append(Int64(label)) }
        var all = Array(labels.indices)
        let gathered = communicator.allgatherConcatenated(moved).values
        for i in stride(from: 0, to: gathered.count, by: 2) { all[Int(gathered[i])] = Int(gathered[i + 1]) }
        return all
    }
}

extension NormalizedRecords {
    /// Every rank's records, concatenated in rank order (a collective call): the bytes and the field
    /// ends; a row ends where its last field does, which gives the row starts.
    static func allgather(_ local: NormalizedRecords, _ communicator: any Communicator) -> NormalizedRecords {
        guard communicator.size > 1 else { return local }
        let bytes = communicator.allgatherConcatenated(local.bytes).values
        let fieldEnds = communicator.allgatherConcatenated(local.fieldEnds).values
        var rowStarts = [Int](repeating: 0, count: fieldEnds.count / local.fieldCount + 1)
        for row in 1..<rowStarts.count { rowStarts[row] = rowStarts[row - 1] + Int(fieldEnds[row * local.fieldCount - 1]) }
        return NormalizedRecords(fieldCount: local.fieldCount, bytes: bytes, rowStarts: rowStarts, fieldEnds: fieldEnds)
    }
}

extension AgreementPatterns {
    /// `local` with the pattern counts of the whole job.
    init(_ local: AgreementPatterns, counts: [UInt64: Int]) {
        fields = local.fields
        base = local.base
        codes = local.codes
        adjustments = local.adjustments
        self.counts = counts
    }

    /// The sum over ranks of each rank's code counts (a collective call): the union of the codes,
    /// then an allreduce of integer counts.
    static func allreduceCounts(_ counts: [UInt64: Int], _ communicator: any Communicator) -> [UInt64: Int] {
        guard communicator.size > 1 else { return counts }
        let codes = Set(communicator.allgather(counts.keys.map { Int64(bitPattern: $0) }).joined()).sorted()
        var totals = codes.map { Int64(counts[UInt64(bitPattern: $0)] ?? 0) }
        communicator.allreduceSum(&totals)
        var result: [UInt64: Int] = [:]
        for (code, total) in zip(codes, totals) { result[UInt64(bitPattern: code)] = Int(total) }
        return result
    }
}
