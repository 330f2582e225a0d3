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
        var finished: [[Int]] = []
        var pending: [[Int]] = [Array(0..<data.count)]
        var level: UInt64 = 0
        while !pending.isEmpty {
            let small = pending.filter { $0.count <= maxBlockSize }
            finished.append(contentsOf: small.filter { !$0.isEmpty })
            let large = pending.filter { $0.count > maxBlockSize }
            let children = Parallel.map(large.count) { index in
                split(data, rows: large[index], seed: seed &+ level &* 1_000_003 &+ UInt64(index))
            }
            pending = children.flatMap { $0 }
            level += 1
        }
        return finished
    }

    /// One split of `rows` into at most `branching` groups. k-means is fitted on a sample of the rows
    /// and all rows are assigned, in a compact space of the dimensions the sample uses (centroids
    /// are zero elsewhere, so the other dimensions cannot change which centroid is nearest).
    func split(_ data: SparseRows, rows: [Int], seed: UInt64) -> [[Int]] {
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
        for position in positions {
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
                local.indices.append(map[Int(data.indices[p])])
                local.values.append(data.values[p])
            }
            local.starts.append(local.indices.count)
        }
        let kmeans = KMeans(k: k, restarts: rows.count >= restartThreshold ? restarts : 1, maxIterations: 20, tolerance: 1e-4, seed: seed)
        let model = kmeans.fit(local)
        // Every row, read through the dimension map (no copy into the compact space).
        let nearest = KMeans.nearest(data, rows: rows, k: model.k, centroids: model.centroids,
                                     squaredNorms: model.squaredNorms, current: nil, map: map).first
        var groups = [[Int]](repeating: [], count: model.k)
        for (position, row) in rows.enumerated() { groups[Int(nearest[position])].append(row) }
        groups.removeAll { $0.isEmpty }
        if groups.count > 1 { return groups }
        // Nothing separates these rows: consecutive chunks of at most maxBlockSize.
        return stride(from: 0, to: rows.count, by: maxBlockSize).map { Array(rows[$0..<min($0 + maxBlockSize, rows.count)]) }
    }
}
