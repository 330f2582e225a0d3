import Foundation
import MessagePassing

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
    /// Rows sampled per cluster wanted when fitting a split.
    public var samplePerCluster: Int
    public var seed: UInt64

    public init(maxBlockSize: Int, branching: Int = 8, restarts: Int = 3, restartThreshold: Int = 2000,
                samplePerCluster: Int = 40, seed: UInt64 = 0) {
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
        KMeansBlocking.blocks(data, [self], communicator: SingleProcessCommunicator())[0]
    }

    /// The blocks of several blockings of the same rows (one list per element of `blockings`),
    /// split level by level together. Each split depends only on its rows and seed, so the splits
    /// of a level can be computed anywhere: on N ranks each rank computes a consecutive share of
    /// them (about equal rows, `balancedShares`), and every rank learns every split's groups from
    /// an allgather of one 4-byte group index per row (a collective call). Every rank returns the
    /// blocks one process computes.
    static func blocks(_ data: SparseRows, _ blockings: [KMeansBlocking], communicator: any Communicator) -> [[[Int]]] {
        var finished = [[[Int]]](repeating: [], count: blockings.count)
        var pending = blockings.map { _ in [Array(0..<data.count)] }
        var level: UInt64 = 0
        while pending.contains(where: { !$0.isEmpty }) {
            // The splits of this level: (blocking, index among its large blocks, rows).
            var splits: [(blocking: Int, index: Int, rows: [Int])] = []
            for (b, blocks) in pending.enumerated() {
                finished[b].append(contentsOf: blocks.filter { !$0.isEmpty && $0.count <= blockings[b].maxBlockSize })
                for (index, large) in blocks.filter({ $0.count > blockings[b].maxBlockSize }).enumerated() { splits.append((b, index, large)) }
            }
            let shares = balancedShares(costs: splits.map(\.rows.count), parts: communicator.size)
            let mine = shares[communicator.rank]
            let labels = Parallel.map(mine.count) { i in
                let split = splits[mine.lowerBound + i], blocking = blockings[split.blocking]
                return blocking.split(data, rows: split.rows, seed: blocking.seed &+ level &* 1_000_003 &+ UInt64(split.index))
            }
            let all = communicator.size == 1 ? labels : exchange(labels, sizes: splits.map(\.rows.count), shares: shares, communicator)
            pending = blockings.map { _ in [] }
            for (split, labels) in zip(splits, all) { pending[split.blocking].append(contentsOf: KMeansBlocking.groups(split.rows, labels)) }
            level += 1
        }
        return finished
    }

    /// Every split's labels on every rank, from each rank's `labels` of its share of the splits
    /// (`shares[rank]`; split i has `sizes[i]` rows): allgathered as 4 bytes per row, in split order.
    static func exchange(_ labels: [[Int32]], sizes: [Int], shares: [Range<Int>], _ communicator: any Communicator) -> [[Int32]] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * labels.reduce(0) { $0 + $1.count })
        for split in labels { for label in split { withUnsafeBytes(of: label.littleEndian) { bytes.append(contentsOf: $0) } } }
        let all = communicator.allgather(bytes)
        var result: [[Int32]] = []
        result.reserveCapacity(sizes.count)
        for (rank, share) in shares.enumerated() {
            all[rank].withUnsafeBytes { raw in
                var offset = 0
                for i in share {
                    result.append((0..<sizes[i]).map { j in Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * j, as: Int32.self)) })
                    offset += 4 * sizes[i]
                }
            }
        }
        return result
    }

    /// The groups of `rows` given each row's group index (0 ..< groups, every index used), rows in order.
    static func groups(_ rows: [Int], _ labels: [Int32]) -> [[Int]] {
        var groups = [[Int]](repeating: [], count: Int(labels.max() ?? -1) + 1)
        for (row, label) in zip(rows, labels) { groups[Int(label)].append(row) }
        return groups
    }

    /// One split of `rows` into at most `branching` groups, as a group index per row (groups
    /// numbered by centroid, empty ones left out). k-means is fitted on a sample of the rows
    /// and all rows are assigned, in a compact space of the dimensions the sample uses (centroids
    /// are zero elsewhere, so the other dimensions cannot change which centroid is nearest).
    func split(_ data: SparseRows, rows: [Int], seed: UInt64) -> [Int32] {
        let k = min(branching, (rows.count + maxBlockSize - 1) / maxBlockSize)
        var generator = SplitMix64(seed: seed)
        let sampleSize = min(rows.count, max(k * samplePerCluster, 2 * k))
        var positions = Array(0..<rows.count)
        if sampleSize < rows.count {
            for i in 0..<sampleSize { positions.swapAt(i, i + Int(generator.next() % UInt64(rows.count - i))) }
            positions = Array(positions[..<sampleSize])
        }
        var map = [Int32](repeating: -1, count: data.dimension)
        var used: Int32 = 0
        for (i, position) in positions.enumerated() {
            // The sample is scattered over the vectors: its rows are asked for a few rows ahead.
            if i + 8 < positions.count { data.prefetch(row: rows[positions[i + 4]], start: rows[positions[i + 8]]) }
            let row = rows[position]
            for p in data.starts[row]..<data.starts[row + 1] where map[Int(data.indices[p])] < 0 {
                map[Int(data.indices[p])] = used
                used += 1
            }
        }
        // The sample in the compact space; k-means is fitted to it.
        var local = SparseRows(dimension: max(1, Int(used)))
        for position in positions {
            let row = rows[position]
            for p in data.starts[row]..<data.starts[row + 1] {
                local.indices.append(UInt16(map[Int(data.indices[p])]))
                local.values.append(data.values[p])
            }
            local.starts.append(local.indices.count)
        }
        let kmeans = KMeans(k: k, restarts: rows.count >= restartThreshold ? restarts : 1, maxIterations: 20, tolerance: 1e-4, seed: seed)
        let model = kmeans.fit(local)
        // Every row, read through the dimension map (no copy into the compact space).
        let nearest = KMeans.nearest(data, rows: rows, k: model.k, centroids: model.centroids,
                                     squaredNorms: model.squaredNorms, current: nil, map: map).first
        // Labels: the centroids' indices, renumbered over the nonempty clusters.
        var sizes = [Int](repeating: 0, count: model.k)
        for c in nearest { sizes[Int(c)] += 1 }
        if sizes.filter({ $0 > 0 }).count > 1 {
            var renumbered = [Int32](repeating: 0, count: model.k)
            var next: Int32 = 0
            for c in 0..<model.k where sizes[c] > 0 { renumbered[c] = next; next += 1 }
            return nearest.map { renumbered[Int($0)] }
        }
        // Nothing separates these rows: consecutive chunks of at most maxBlockSize.
        return rows.indices.map { Int32($0 / maxBlockSize) }
    }
}
