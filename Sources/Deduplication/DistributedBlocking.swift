import Foundation
import MessagePassing

/// k-means blocking and candidate pairs on N ranks, each rank holding the vectors of a consecutive
/// 1/N of the distinct rows only (no rank holds them all), with exactly the blocks and pairs of one
/// process. The blocking passes go together (as `KMeansBlocking.blocks` does in one process), so
/// that the ranks meet as seldom as they can (a stall of either rank stalls both at the next meeting):
///
/// 1. *top levels, split across ranks* — while a pass has fewer than 8·N blocks to split: each
///    split's sample rows (≤ 160: 20 per cluster) are allgathered, every rank fits the same k-means to them
///    (`KMeansBlocking.fitSplit`), assigns the rows it holds, and the cluster sizes are summed by an
///    integer allreduce, so every rank knows each block's size and its own rows of it; one set of
///    these collectives a level for every pass's splits;
/// 2. *subtrees, each on one rank* — every pass's blocks at that depth are finished in as few rounds
///    as keep a rank's part of a round within 2¹⁸ rows (each round's vectors are all a rank holds beside
///    its own, at most ≈ 0.25 GB: one round below 2¹⁸·N rows of all passes, 4 at 1M rows on 2 ranks
///    and 2 passes), each round's blocks, of any pass, shared out so that every rank gets about as
///    many rows (`rounds`: the ranks wait for each other at the end of every round): the rows'
///    vectors are sent to the rank of their subtree (`allToAll`, ≈ 0.5 KB a row; once a pass),
///    which finishes it depth-first on a contiguous copy of its rows (`KMeansBlocking.blocks`, the
///    one-process code: seeds by depth and first row, so the same splits as one process), collects
///    its candidate pairs and drops the vectors.
///
/// Value blocks are formed and finished on the ranks that own their keys (`valuePairs`). Every pair
/// (a, b) found goes to rank a mod N at the end, once for all blocks, which keeps it once however
/// many blocks found it.
struct DistributedBlocking {
    /// The vectors of this rank's distinct rows, `shares[rank]` (local row i is row shares[rank].lowerBound + i);
    /// let go by `candidatePairs`.
    var vectors: SparseRows
    /// Every rank's consecutive range of distinct rows.
    let shares: [Range<Int>]
    let communicator: any Communicator

    /// A block of distinct rows spread over the ranks: this rank's rows of it (local, ascending), and
    /// over all ranks its size, its first row and the position of this rank's first row in it.
    struct Spread {
        var local: [Int]
        var count = 0
        var first = Int.max
        var offset = 0
    }

    /// Pairs found on this rank, bucketed by the rank that keeps them (a mod N).
    struct Found {
        var keys: [[Int64]]
        var cosines: [[Float]]
        var examined = 0

        init(ranks: Int) {
            keys = Array(repeating: [], count: ranks)
            cosines = Array(repeating: [], count: ranks)
        }

        /// Adds the pairs found in `other`, letting them go.
        mutating func append(_ other: consuming Found) {
            examined += other.examined
            for rank in keys.indices {
                keys[rank] += other.keys[rank]
                other.keys[rank] = []
                cosines[rank] += other.cosines[rank]
                other.cosines[rank] = []
            }
        }

        /// Adds the pairs of `candidates`, whose rows are `ids[local row]`.
        mutating func add(_ candidates: CandidatePairs, ids: [Int]) {
            examined += candidates.examined
            for (pair, cosine) in zip(candidates.pairs, candidates.cosines) {
                let a = ids[pair.first], b = ids[pair.second], owner = a % keys.count
                keys[owner].append(PairKey(a, b).wire)
                cosines[owner].append(cosine)
            }
        }
    }

    /// The candidate pairs this rank keeps (pairs (a, b) with a mod N = rank, each once) of the
    /// `blockings` over every distinct row and of `valueBlocks` (distinct rows, ascending), and how
    /// many blocks the first blocking made in all (a collective call). Lets go of the vectors.
    /// The passes go together, as `KMeansBlocking.blocks` splits several blockings in one process:
    /// their top levels by one set of collectives a level, their subtrees shared out in the same
    /// rounds, and the pairs found sent to their ranks once, with the value blocks' (fewer points at
    /// which the ranks wait for each other).
    mutating func candidatePairs(_ blockings: [KMeansBlocking], valueBlocks: consuming FlatBlocks, minCosine: Float) -> (CandidatePairs, firstPassBlocks: Int) {
        let top = topLevels(blockings)
        // Every pass's blocks at depth top.level, pass after pass; block b is of pass passes[b].
        let blocks = Array(top.blocks.joined())
        let passes = top.blocks.indices.flatMap { Array(repeating: $0, count: top.blocks[$0].count) }
        var found = Found(ranks: communicator.size)
        let firstPassBlocks = finish(counts: blocks.map(\.count), local: { blocks[$0].local }, byRanks: { received, ids, lists, mine in
            var pending = [[[Int]]](repeating: [], count: blockings.count)
            for (list, b) in zip(lists, mine) { pending[passes[b]].append(list) }
            let finished = KMeansBlocking.blocks(received, blockings, pending: pending, level: top.level, ids: ids)
            found.add(CandidatePairs(blocks: Array(finished.joined()), vectors: received, minCosine: minCosine), ids: ids)
            return finished[0].count
        })
        found.append(valuePairs(valueBlocks, minCosine: minCosine))
        // Not needed again: let go before the merge.
        (vectors, valueBlocks) = (SparseRows(dimension: vectors.dimension), FlatBlocks())
        let keys = communicator.allToAll(found.keys).values
        found.keys = []
        let cosines = communicator.allToAll(found.cosines).values
        found.cosines = []
        return (CandidatePairs(kept: consume keys, cosines: consume cosines, examined: found.examined),
                Int(communicator.allreduceSum(Int64(firstPassBlocks))))
    }

    /// The blocks of each of `blockings` at the first depth at which each has none or at least 8·N
    /// blocks to split, with the blocks finished above it, split across ranks (a collective call:
    /// one allgather of the blocks' spread, one set of the samples' and one allreduce of the sizes
    /// a level for all blockings); and that depth.
    func topLevels(_ blockings: [KMeansBlocking]) -> (blocks: [[Spread]], level: UInt64) {
        var pending = blockings.map { _ in [Array(0..<vectors.count)] }
        var finished = [[Spread]](repeating: [], count: blockings.count)
        var level: UInt64 = 0
        while true {
            var large = [[Spread]](repeating: [], count: blockings.count)
            var spreads = spread(Array(pending.joined()))[...]
            for (pass, blocks) in pending.enumerated() {
                for block in spreads.prefix(blocks.count) where block.count > 0 {
                    if block.count <= blockings[pass].maxBlockSize { finished[pass].append(block) } else { large[pass].append(block) }
                }
                spreads = spreads.dropFirst(blocks.count)
            }
            if large.allSatisfy({ $0.isEmpty || $0.count >= 8 * communicator.size }) { return (zip(finished, large).map { $0 + $1 }, level) }
            let splits = large.indices.flatMap { pass in large[pass].map { (pass: pass, block: $0) } }
            let splitBlockings = splits.map { blockings[$0.pass] }
            let seeds = splits.map { blockings[$0.pass].splitSeed(level: level, firstRow: $0.block.first) }
            let models = fitSplits(splits.map(\.block), seeds: seeds, splitBlockings)
            let nearest = Parallel.map(splits.count) { models[$0].nearest(vectors, rows: splits[$0].block.local) }
            var sizes = splits.indices.flatMap { models[$0].sizes(nearest[$0]).map(Int64.init) }
            communicator.allreduceSum(&sizes)
            pending = blockings.map { _ in [] }
            var start = 0
            for (i, (pass, block)) in splits.enumerated() {
                let blocking = blockings[pass], blockSizes = sizes[start..<(start + models[i].model.k)].map { Int($0) }
                start += models[i].model.k
                let labels = blocking.labels(nearest[i], sizes: blockSizes, positions: block.offset..<(block.offset + block.local.count))
                pending[pass] += KMeansBlocking.groups(block.local, labels, count: blocking.groupCount(sizes: blockSizes, count: block.count))
            }
            level += 1
        }
    }

    /// `blocks` (this rank's rows of each) with their sizes, first rows and this rank's offsets over
    /// all ranks (a collective call).
    func spread(_ blocks: [[Int]]) -> [Spread] {
        let first = shares[communicator.rank].lowerBound
        let mine = blocks.flatMap { [Int64($0.count), Int64($0.first.map { first + $0 } ?? Int.max)] }
        let all = communicator.allgather(mine)
        return blocks.indices.map { b in
            var block = Spread(local: blocks[b])
            for (rank, values) in all.enumerated() {
                if rank < communicator.rank { block.offset += Int(values[2 * b]) }
                block.count += Int(values[2 * b])
                block.first = min(block.first, Int(values[2 * b + 1]))
            }
            return block
        }
    }

    /// Every rank fits the same model to each block's sample (block b split by `blockings[b]`): the
    /// sample rows (positions in the block, `KMeansBlocking.samplePositions`) are allgathered from
    /// the ranks that hold them.
    func fitSplits(_ blocks: [Spread], seeds: [UInt64], _ blockings: [KMeansBlocking]) -> [KMeansBlocking.SplitModel] {
        let positions = blocks.indices.map { blockings[$0].samplePositions(count: blocks[$0].count, seed: seeds[$0]) }
        var rows: [Int] = [], tags: [Int64] = []
        for (b, block) in blocks.enumerated() {
            for (j, position) in positions[b].enumerated() where position >= block.offset && position < block.offset + block.local.count {
                rows.append(block.local[position - block.offset])
                tags.append(Int64(b) << 32 | Int64(j))
            }
        }
        let local = vectors.gathering(rows)
        let lengths = zip(local.starts.dropFirst(), local.starts).map { Int64($0 - $1) }
        let sample = SparseRows(received: communicator.allgatherConcatenated(lengths).values, dimension: vectors.dimension,
                                indices: communicator.allgatherConcatenated(local.indices).values, values: communicator.allgatherConcatenated(local.values).values)
        var order = positions.map { [Int](repeating: 0, count: $0.count) }
        for (row, tag) in communicator.allgatherConcatenated(tags).values.enumerated() { order[Int(tag >> 32)][Int(tag & 0xFFFF_FFFF)] = row }
        return Parallel.map(blocks.count) { blockings[$0].fitSplit(sample, sample: order[$0], count: blocks[$0].count, seed: seeds[$0]) }
    }

    /// Finishes blocks of `counts` rows spread over the ranks (`local(b)`: this rank's local rows of
    /// block b, ascending; the blocks of one pass do not overlap) in `rounds`: in each round, each
    /// rank's rows of the round's blocks are sent to the blocks' ranks, once a block (a row of
    /// blocks of two passes on one rank is sent twice), which call
    /// `body(vectors, ids, lists, blocks)` with the received vectors (ascending rows; a row sent
    /// twice, twice in a row), their distinct-row ids, each of its blocks' rows among them and the
    /// indices of its blocks, and sums what it returns (a collective call; returns this rank's sum).
    func finish(counts: [Int], local: (Int) -> [Int], byRanks body: (SparseRows, [Int], [[Int]], [Int]) -> Int) -> Int {
        let ranks = communicator.size
        var result = 0
        for round in DistributedBlocking.rounds(counts: counts, ranks: ranks) {
            // To each rank, this rank's rows of its blocks of this round (ascending) and for each
            // row its block's index among the rank's blocks.
            var outgoing = [[Int]](repeating: [], count: ranks), tags = [[Int64]](repeating: [], count: ranks)
            for (r, share) in round.enumerated() {
                // Row × blocks + index: sorted, the rows ascending and a row's blocks in order.
                var keys: [Int] = []
                for (index, b) in share.enumerated() { keys += local(b).lazy.map { $0 * share.count + index } }
                keys.sort()
                outgoing[r] = keys.map { $0 / share.count }
                tags[r] = keys.map { Int64($0 % share.count) }
            }
            let (received, ids, rowTags) = send(outgoing, tags: tags)
            let mine = round[communicator.rank]
            guard !mine.isEmpty else { continue }
            var lists = [[Int]](repeating: [], count: mine.count)
            for (row, tag) in rowTags.enumerated() { lists[Int(tag)].append(row) }
            result += body(received, ids, lists, mine)
        }
        return result
    }

    /// The rounds in which blocks of `counts` rows are finished, and each rank's blocks in each:
    /// `rounds[i][r]` (ascending block indices). The rounds are the fewest consecutive runs of
    /// blocks of about equal rows (R = Σ counts; `balancedShares`) in which a rank receives about
    /// `maxRankRows` rows or fewer at a time, which bounds what a round holds (its vectors are sent,
    /// concatenated and received: ≈ 1 KB a row at once, beside the rank's own 1/N) — no more: the
    /// ranks wait for each other at the end of every round, and the fewer the rounds, the more
    /// blocks each shares out, the evener (4 rounds or more at 1M rows on 2 ranks: 0.54–0.79 s of
    /// CPU idle on the less loaded rank; 2 rounds: 0.25–0.59 s, both measured at load 3–10). A
    /// round's blocks are shared out largest first, each to the rank with the fewest rows so far
    /// (ties: the lowest rank), so that the ranks finish it within about one block of each other:
    /// a subtree takes about the same time a row whatever its size (1M rows on 2 ranks, 2026-12-04
    /// 01:30, load 1.1 two minutes before: 2.1 µs a row in every round on both ranks). Every rank
    /// computes the same rounds.
    static func rounds(counts: [Int], ranks: Int, maxRankRows: Int = 1 << 18) -> [[[Int]]] {
        precondition(ranks > 0 && maxRankRows > 0)
        let rows = counts.reduce(0, +), parts = max(1, (rows + ranks * maxRankRows - 1) / (ranks * maxRankRows))
        let rounds = balancedShares(costs: counts, parts: parts).filter { !$0.isEmpty }
        return rounds.map { round in
            var shares = [[Int]](repeating: [], count: ranks), loads = [Int](repeating: 0, count: ranks)
            for b in round.sorted(by: { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }) {
                let r = loads.indices.min { loads[$0] != loads[$1] ? loads[$0] < loads[$1] : $0 < $1 }!
                shares[r].append(b)
                loads[r] += counts[b]
            }
            return shares.map { $0.sorted() }
        }
    }

    /// Sends rows of `vectors` (`outgoing[r]`: local rows for rank r, ascending) with a tag each to
    /// the ranks; returns the rows this rank received, in rank order (so ascending distinct rows),
    /// their distinct-row ids and tags (a collective call). A row travels as three integers (its
    /// distinct-row id, nonzero count and tag) and its nonzeros, each buffer gathered rank after
    /// rank as it is sent: three all-to-alls and no copy per rank (five all-to-alls of per-rank
    /// parts, joined again to send, took 0.25 s of CPU a round at 1M rows on 2 ranks, 0.2 s now;
    /// load 3.5).
    func send(_ outgoing: [[Int]], tags: [[Int64]]) -> (SparseRows, [Int], [Int64]) {
        let first = shares[communicator.rank].lowerBound
        let rows = Array(outgoing.joined())
        let gathered = vectors.gathering(rows)
        var headers: [Int64] = []  // (id, nonzeros, tag) per row
        headers.reserveCapacity(3 * rows.count)
        for (row, tag) in zip(rows, tags.joined()) {
            headers.append(Int64(first + row))
            headers.append(Int64(vectors.starts[row + 1] - vectors.starts[row]))
            headers.append(tag)
        }
        var nonzeros: [Int] = [], end = 0
        for part in outgoing {
            nonzeros.append(gathered.starts[end + part.count] - gathered.starts[end])
            end += part.count
        }
        let received = communicator.allToAll(headers, counts: outgoing.map { 3 * $0.count }).values
        let indices = communicator.allToAll(gathered.indices, counts: nonzeros).values
        let values = communicator.allToAll(gathered.values, counts: nonzeros).values
        let count = received.count / 3
        var starts = [Int](repeating: 0, count: count + 1), ids = [Int](repeating: 0, count: count), rowTags = [Int64](repeating: 0, count: count)
        for i in 0..<count {
            ids[i] = Int(received[3 * i])
            starts[i + 1] = starts[i] + Int(received[3 * i + 1])
            rowTags[i] = received[3 * i + 2]
        }
        return (SparseRows(dimension: vectors.dimension, starts: starts, indices: indices, values: values), ids, rowTags)
    }
}

extension SparseRows {
    /// Rows received end to end: `lengths[i]` nonzeros of row i in `indices` and `values`.
    init(received lengths: [Int64], dimension: Int, indices: [UInt16], values: [Float]) {
        var starts = [0]
        starts.reserveCapacity(lengths.count + 1)
        for length in lengths { starts.append(starts.last! + Int(length)) }
        self.init(dimension: dimension, starts: starts, indices: indices, values: values)
    }
}
