import Foundation

/// The blocking step: puts likely duplicates into the same small block by k-means over the rows'
/// vectors, splitting recursively until every block holds at most `maxBlockSize` rows. Each split
/// fits k-means++ with restarts on a sample of its rows and assigns all of them to the nearest
/// centroid (on all cores for large blocks; sibling blocks are split in parallel). A split that
/// cannot separate its rows (all vectors equal) falls back to consecutive chunks.
public struct KMeansBlocking: Sendable {
    /// The largest block whose pairs are all compared.
    public var maxBlockSize: Int
    /// The most clusters per split.
    public var branching: Int
    /// Restarts for splits of at least `restartThreshold` rows (smaller splits use one run).
    public var restarts: Int
    public var restartThreshold: Int
    /// Rows sampled per cluster wanted when fitting a split (20 instead of 40 fits a 1M-row blocking
    /// in about a fifth less CPU, for F1 0.9994 → 0.9991 there and 0.9996–0.9998 → 0.9994–0.9995 at 100k).
    public var samplePerCluster: Int
    public var seed: UInt64

    public init(maxBlockSize: Int, branching: Int = 8, restarts: Int = 3, restartThreshold: Int = 2000,
                samplePerCluster: Int = 20, seed: UInt64 = 0) {
        precondition(maxBlockSize >= 2 && branching >= 2, "blocks hold at least 2 rows and splits make at least 2")
        self.maxBlockSize = maxBlockSize
        self.branching = branching
        self.restarts = restarts
        self.restartThreshold = restartThreshold
        self.samplePerCluster = samplePerCluster
        self.seed = seed
    }

    /// The blocks of the rows of `data` (row indices; every row in exactly one block).
    public func blocks(_ data: SparseRows) -> [[Int]] {
        KMeansBlocking.blocks(data, [self])[0]
    }

    /// The blocks of several blockings of the same rows (one list per element of `blockings`), split
    /// level by level together, the splits of a level in parallel. `pending[b]` are blocking b's
    /// blocks at depth `level` (default: one block of every row of `data`, at depth 0); `ids` the
    /// global row of each row of `data` (default: the identity). A split's seed depends only on its
    /// blocking, its depth and its first row (`splitSeed`), so a block splits the same wherever and
    /// with whatever else it is computed: on N ranks each subtree is finished on one rank
    /// (`DistributedBlocking`) and the blocks are those of one process. Once a level has enough splits
    /// for the cores, none of more than 2¹⁶ rows, each is finished depth-first (`subtree`) on a copy
    /// of its rows.
    static func blocks(_ data: SparseRows, _ blockings: [KMeansBlocking], pending: [[[Int]]]? = nil, level: UInt64 = 0,
                       ids: [Int]? = nil) -> [[[Int]]] {
        var finished = [[[Int]]](repeating: [], count: blockings.count)
        var pending = pending ?? blockings.map { _ in [Array(0..<data.count)] }
        var level = level
        // The top levels breadth-first on `data`, while there are too few splits to keep the cores
        // busy or splits too large to copy (a copy per core in flight).
        var splits: [(blocking: Int, rows: [Int])] = []
        while true {
            splits = []
            for (b, blocks) in pending.enumerated() {
                finished[b].append(contentsOf: blocks.filter { !$0.isEmpty && $0.count <= blockings[b].maxBlockSize })
                for large in blocks where large.count > blockings[b].maxBlockSize { splits.append((b, large)) }
            }
            if splits.isEmpty || splits.count >= 4 * Parallel.cores && splits.allSatisfy({ $0.rows.count <= 1 << 16 }) { break }
            let labels = Parallel.map(splits.count) { i in
                let split = splits[i], blocking = blockings[split.blocking]
                return blocking.split(data, rows: split.rows, seed: blocking.splitSeed(level: level, firstRow: ids?[split.rows[0]] ?? split.rows[0]))
            }
            pending = blockings.map { _ in [] }
            for (split, labels) in zip(splits, labels) {
                pending[split.blocking].append(contentsOf: KMeansBlocking.groups(split.rows, labels, count: Int(labels.max() ?? -1) + 1))
            }
            level += 1
        }
        // Then each subtree depth-first on its own copy of its rows.
        let subtrees = Parallel.map(splits.count) { i in
            blockings[splits[i].blocking].subtree(data.gathering(splits[i].rows), positions: Array(splits[i].rows.indices), rows: splits[i].rows,
                                                  ids: ids, level: level)
        }
        for (split, blocks) in zip(splits, subtrees) { finished[split.blocking].append(contentsOf: blocks) }
        return finished
    }

    /// The blocks of a block larger than `maxBlockSize` at depth `level`: its rows `rows` (of the
    /// caller's table; global rows `ids[row]`) are rows `positions` of `local`, in order. A larger
    /// child block is copied to a table of its own while `local` is larger than `inPlaceRows`;
    /// below that its rows are close together already and it is split where it is.
    func subtree(_ local: SparseRows, positions: [Int], rows: [Int], ids: [Int]?, level: UInt64) -> [[Int]] {
        let labels = split(local, rows: positions, seed: splitSeed(level: level, firstRow: ids?[rows[0]] ?? rows[0]))
        var blocks: [[Int]] = []
        for group in KMeansBlocking.groups(Array(rows.indices), labels, count: Int(labels.max() ?? -1) + 1) {
            let members = group.map { rows[$0] }
            if group.count <= maxBlockSize {
                blocks.append(members)
            } else if local.count > KMeansBlocking.inPlaceRows {
                blocks += subtree(local.gathering(group.map { positions[$0] }), positions: Array(group.indices), rows: members, ids: ids, level: level + 1)
            } else {
                blocks += subtree(local, positions: group.map { positions[$0] }, rows: members, ids: ids, level: level + 1)
            }
        }
        return blocks
    }

    /// The most rows of a table whose blocks are split in place, not copied (about 1.7 MB of vectors
    /// at 70 nonzeros a row, within a core's cache: copying would not bring the rows closer).
    static let inPlaceRows = 1 << 12

    /// The seed of the split at depth `level` whose first (smallest) row is global row `firstRow`.
    func splitSeed(level: UInt64, firstRow: Int) -> UInt64 {
        seed &+ level << 40 &+ UInt64(firstRow)
    }

    /// The `count` groups of `rows` given each row's group index, rows in order.
    static func groups(_ rows: [Int], _ labels: [Int32], count: Int) -> [[Int]] {
        var groups = [[Int]](repeating: [], count: count)
        for (row, label) in zip(rows, labels) { groups[Int(label)].append(row) }
        return groups
    }

    /// One split of `rows` into at most `branching` groups, as a group index per row (groups
    /// numbered by centroid, empty ones left out): k-means fitted on a sample of the rows
    /// (`fitSplit`), every row assigned to the nearest centroid (`SplitModel.nearest`), labels
    /// from the cluster sizes (`labels`). The three steps are apart so that N ranks can split rows
    /// spread over them (each rank assigns the rows it holds).
    func split(_ data: SparseRows, rows: [Int], seed: UInt64) -> [Int32] {
        let model = fitSplit(data, sample: samplePositions(count: rows.count, seed: seed).map { rows[$0] }, count: rows.count, seed: seed)
        let nearest = model.nearest(data, rows: rows)
        return labels(nearest, sizes: model.sizes(nearest), positions: 0..<rows.count)
    }

    /// The number of groups a split of `count` rows aims at.
    func clusters(_ count: Int) -> Int { min(branching, (count + maxBlockSize - 1) / maxBlockSize) }

    /// The positions, among a split's `count` rows (in order), of the sample it is fitted on: all of
    /// them, or a seeded partial shuffle's first k · `samplePerCluster` (a shuffle of 0..<count, kept
    /// sparse when count is large: only swapped positions are stored).
    func samplePositions(count: Int, seed: UInt64) -> [Int] {
        let k = clusters(count)
        var generator = SplitMix64(seed: seed)
        let sampleSize = min(count, max(k * samplePerCluster, 2 * k))
        guard sampleSize < count else { return Array(0..<count) }
        if count <= 1 << 16 {
            var shuffled = Array(0..<count)
            for i in 0..<sampleSize { shuffled.swapAt(i, i + Int(generator.next() % UInt64(count - i))) }
            return Array(shuffled[..<sampleSize])
        }
        var moved: [Int: Int] = [:]
        for i in 0..<sampleSize {
            let j = i + Int(generator.next() % UInt64(count - i))
            let atI = moved[i] ?? i, atJ = moved[j] ?? j
            moved[i] = atJ
            moved[j] = atI
        }
        return (0..<sampleSize).map { moved[$0] ?? $0 }
    }

    /// A split's centroids: k-means fitted in the compact space of the dimensions its sample uses
    /// (`map[d]`: dimension d's index there, ≥ 1; or 0, a dimension of that space no row uses, so
    /// that its centroids are zero there, like at every dimension the sample does not use: those
    /// cannot change which centroid is nearest).
    struct SplitModel {
        let model: KMeans.Model
        let map: [Int32]

        /// The nearest centroid of each of `rows` (read through the map, no copy into the compact space).
        func nearest(_ data: SparseRows, rows: [Int]) -> [Int32] {
            KMeans.nearest(data, rows: rows, k: model.k, centroids: model.centroids, squaredNorms: model.squaredNorms, current: nil, map: map, rowNorms: nil).first
        }

        /// How many of `nearest` go to each centroid, (k).
        func sizes(_ nearest: [Int32]) -> [Int] {
            var sizes = [Int](repeating: 0, count: model.k)
            for c in nearest { sizes[Int(c)] += 1 }
            return sizes
        }
    }

    /// Fits the split of `count` rows on its sample: rows `sample` of `data`, in sample order.
    func fitSplit(_ data: SparseRows, sample: [Int], count: Int, seed: UInt64) -> SplitModel {
        var map = [Int32](repeating: 0, count: data.dimension)
        var used: Int32 = 1
        data.starts.withUnsafeBufferPointer { starts in
        data.indices.withUnsafeBufferPointer { indices in
        data.values.withUnsafeBufferPointer { values in
        map.withUnsafeMutableBufferPointer { map in
            for (i, row) in sample.enumerated() {
                // The sample may be scattered over the vectors: its rows are asked for a few rows ahead.
                if i + 4 < sample.count { prefetchRow(sample[i + 4], starts, indices, values) }
                // Without a branch (whether a dimension is new is a coin toss to the predictor).
                for p in starts[row]..<starts[row + 1] {
                    let d = Int(indices[p]), new: Int32 = map[d] == 0 ? 1 : 0
                    map[d] = new == 1 ? used : map[d]
                    used += new
                }
            }
        }}}}
        let local = data.gathering(sample, dimension: Int(used), map: map)
        let kmeans = KMeans(k: clusters(count), restarts: count >= restartThreshold ? restarts : 1, maxIterations: 20, tolerance: 1e-4, seed: seed)
        return SplitModel(model: kmeans.fit(local), map: map)
    }

    /// The group index of each row given its nearest centroid and the split's cluster `sizes` (over
    /// all its rows): the centroids renumbered over the nonempty clusters; when only one is nonempty
    /// (nothing separates the rows), consecutive chunks of at most `maxBlockSize` by the rows'
    /// `positions` in the split.
    func labels(_ nearest: [Int32], sizes: [Int], positions: Range<Int>) -> [Int32] {
        if sizes.filter({ $0 > 0 }).count > 1 {
            var renumbered = [Int32](repeating: 0, count: sizes.count)
            var next: Int32 = 0
            for c in sizes.indices where sizes[c] > 0 { renumbered[c] = next; next += 1 }
            return nearest.map { renumbered[Int($0)] }
        }
        return positions.map { Int32($0 / maxBlockSize) }
    }

    /// The number of groups `labels` makes of a split of `count` rows with cluster `sizes`.
    func groupCount(sizes: [Int], count: Int) -> Int {
        let nonempty = sizes.filter { $0 > 0 }.count
        return nonempty > 1 ? nonempty : (count + maxBlockSize - 1) / maxBlockSize
    }
}
