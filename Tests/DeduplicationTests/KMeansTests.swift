import XCTest
@testable import Deduplication

final class KMeansTests: XCTestCase {
    /// n points in D = 4 around `centers` (dense), with seeded noise.
    func blobs(_ centers: [[Float]], perBlob: Int, noise: Float, seed: UInt64) -> (SparseRows, [Int]) {
        var generator = SplitMix64(seed: seed)
        var rows: [[(Int, Float)]] = [], truth: [Int] = []
        for (label, center) in centers.enumerated() {
            for _ in 0..<perBlob {
                rows.append(center.enumerated().map { ($0.offset, $0.element + noise * Float(generator.nextGaussian())) })
                truth.append(label)
            }
        }
        return (SparseRows(dimension: centers[0].count, rows: rows), truth)
    }

    func testRecoversSeparatedBlobsAndNeverRaisesTheObjective() {
        let (data, truth) = blobs([[0, 0, 0, 0], [5, 5, 0, 0], [0, 0, 5, 5]], perBlob: 40, noise: 0.3, seed: 1)
        let model = KMeans(k: 3, restarts: 3, seed: 3).fit(data)
        XCTAssertEqual(model.k, 3)
        XCTAssertEqual(ClusterMetrics(predicted: model.assignments, truth: truth).pairF1, 1)
        for (before, after) in zip(model.history, model.history.dropFirst()) { XCTAssertLessThanOrEqual(after, before) }
        // The objective is the sum of squared distances to the assigned centroids.
        var objective = 0.0
        for row in 0..<data.count {
            let c = Int(model.assignments[row])
            for d in 0..<4 {
                let e = data.dense(row)[d] - model.centroids[d * model.width + c]
                objective += Double(e * e)
            }
        }
        XCTAssertEqual(objective, model.objective, accuracy: 1e-3 * objective)
    }

    func testObjectiveNeverIncreasesOnOverlappingData() {
        let (data, _) = blobs([[0, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 1]], perBlob: 50, noise: 0.8, seed: 2)
        for seed in 0..<5 as Range<UInt64> {
            let model = KMeans(k: 6, restarts: 1, maxIterations: 50, tolerance: 0, seed: seed).fit(data)
            XCTAssertGreaterThan(model.history.count, 2)
            for (before, after) in zip(model.history, model.history.dropFirst()) { XCTAssertLessThanOrEqual(after, before) }
        }
    }

    func testRestartsKeepTheLowestObjective() {
        let (data, _) = blobs([[0, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 1]], perBlob: 30, noise: 0.6, seed: 4)
        let best = KMeans(k: 5, restarts: 4, seed: 10).fit(data)
        for restart in 0..<4 as Range<UInt64> {
            var generator = SplitMix64(seed: 10 &+ restart &* 0x9E37_79B9)
            let single = KMeans(k: 5, restarts: 1, seed: 10).run(data, rows: Array(0..<data.count), generator: &generator)
            XCTAssertLessThanOrEqual(best.objective, single.objective)
        }
    }

    func testIdenticalPointsGiveFewerClustersAndZeroObjective() {
        let data = SparseRows(dimension: 3, rows: Array(repeating: [(0, 1), (2, 0.5)], count: 10) + Array(repeating: [(1, 2)], count: 5))
        let model = KMeans(k: 4, seed: 1).fit(data)
        XCTAssertEqual(model.k, 2, "only two distinct points")
        XCTAssertEqual(model.objective, 0, accuracy: 1e-9)
        XCTAssertEqual(Set(model.assignments[0..<10]).count, 1)
        XCTAssertNotEqual(model.assignments[0], model.assignments[10])
    }

    func testEmptyClustersAreReseeded() {
        // k-means++ never seeds two centers on one point, so force an empty cluster through Lloyd:
        // three tight pairs and k = 3 must end with every cluster used and objective tiny.
        let data = SparseRows(dimension: 1, rows: [[(0, 0)], [(0, 0.1)], [(0, 10)], [(0, 10.1)], [(0, 20)], [(0, 20.1)]])
        let model = KMeans(k: 3, restarts: 5, seed: 0).fit(data)
        XCTAssertEqual(Set(model.assignments).count, 3)
        XCTAssertEqual(model.objective, 3 * 0.005, accuracy: 1e-4)
    }

    func testBlockingCoversEveryRowOnceWithinTheSizeLimit() {
        let (data, truth) = blobs((0..<12).map { i in [Float(i % 3) * 4, Float(i / 3) * 4, 0, 1] }, perBlob: 15, noise: 0.2, seed: 5)
        let blocks = KMeansBlocking(maxBlockSize: 20, restarts: 5, restartThreshold: 0, seed: 1).blocks(data)
        XCTAssertEqual(blocks.flatMap { $0 }.sorted(), Array(0..<data.count))
        XCTAssertTrue(blocks.allSatisfy { $0.count <= 20 })
        // Separated blobs stay whole.
        var blockOf = [Int](repeating: 0, count: data.count)
        for (index, block) in blocks.enumerated() { for row in block { blockOf[row] = index } }
        XCTAssertEqual(ClusterMetrics(predicted: blockOf, truth: truth).pairRecall, 1)
    }

    /// Seeding draws a step's candidates first and finds their distances in one pass (four centers
    /// at a time): the centers are those of drawing and measuring one candidate after another (the
    /// reference below, as `seedPlusPlus` was written before), for 2 to 5 candidates per step.
    func testSeedingMatchesOneCandidateAtATime() {
        var generator = SplitMix64(seed: 9)
        let rows: [[(Int, Float)]] = (0..<300).map { _ in
            Set((0..<10).map { _ in Int(generator.next() % 64) }).map { ($0, Float(generator.nextUnit())) }
        }
        let data = SparseRows(dimension: 64, rows: rows)
        let subset = Array(stride(from: 3, to: 300, by: 2))
        for k in [1, 2, 8, 30] {
            var batched = SplitMix64(seed: UInt64(k)), reference = SplitMix64(seed: UInt64(k))
            XCTAssertEqual(KMeans.seedPlusPlus(data, rows: subset, norms: subset.map { data.squaredNorm($0) }, k: k, generator: &batched),
                           referenceSeeding(data, rows: subset, k: k, generator: &reference))
            XCTAssertEqual(batched.next(), reference.next())
        }
    }

    /// Greedy k-means++ one candidate at a time.
    func referenceSeeding(_ data: SparseRows, rows: [Int], k: Int, generator: inout SplitMix64) -> [Int] {
        func distances(to center: Int) -> [Float] {
            rows.map { max(0, data.squaredNorm($0) + data.squaredNorm(center) - 2 * denseDot($0, center)) }
        }
        /// The dot of rows a and b summed over a's nonzeros in order (as the seeding sums it).
        func denseDot(_ a: Int, _ b: Int) -> Float {
            let dense = data.dense(b)
            var dot: Float = 0
            for p in data.starts[a]..<data.starts[a + 1] { dot += data.values[p] * dense[Int(data.indices[p])] }
            return dot
        }
        let trials = 2 + Int(log(Double(k)))
        var centers = [rows[Int(generator.next() % UInt64(rows.count))]]
        var nearest = distances(to: centers[0])
        var total = nearest.reduce(0.0) { $0 + Double($1) }
        while centers.count < k && total > 1e-9 {
            var bestPosition = -1, bestTotal = Double.infinity, best = nearest
            for _ in 0..<trials {
                var target = generator.nextUnit() * total
                var chosen = -1
                for position in rows.indices where nearest[position] > 0 {
                    chosen = position
                    target -= Double(nearest[position])
                    if target < 0 { break }
                }
                let candidate = zip(distances(to: rows[chosen]), nearest).map { min($0, $1) }
                let candidateTotal = candidate.reduce(0.0) { $0 + Double($1) }
                if bestPosition < 0 || candidateTotal < bestTotal { bestPosition = chosen; bestTotal = candidateTotal; best = candidate }
            }
            centers.append(rows[bestPosition])
            nearest = best
            total = bestTotal
        }
        return centers
    }

    /// The update step equals a column-by-column reference: means where a cluster has rows, the
    /// previous centroid where it has none (and in the padding), norms over the dimensions given,
    /// for k of one and of two SIMD lanes.
    func testMeansMatchAColumnByColumnReference() {
        var generator = SplitMix64(seed: 3)
        for k in [3, 11] {
            let width = KMeans.width(k), dimension = 7
            let sums = (0..<dimension * width).map { _ in Float(generator.nextUnit()) * 4 - 2 }
            let previous = (0..<dimension * width).map { _ in Float(generator.nextUnit()) }
            let counts = (0..<k).map { $0 % 4 == 1 ? 0 : $0 + 1 }
            let dimensions = [0, 2, 3, 6]
            var table = [Float](repeating: 0, count: dimension * width)
            let norms = KMeans.means(sums, counts: counts, previous: previous, into: &table, dimensions: dimensions)
            XCTAssertEqual(norms.count, width)
            for c in 0..<width {
                var norm: Float = 0
                for d in dimensions {
                    let count = c < k ? counts[c] : 0
                    let expected = count > 0 ? sums[d * width + c] / Float(count) : previous[d * width + c]
                    XCTAssertEqual(table[d * width + c], expected)
                    norm += expected * expected
                }
                XCTAssertEqual(norms[c], norm)
            }
            for d in [1, 4, 5] { XCTAssertTrue(table[(d * width)..<((d + 1) * width)].allSatisfy { $0 == 0 }, "dimensions not given stay untouched") }
        }
    }

    /// Gathering copies the chosen rows in order (empty rows too), and with a map renames columns.
    func testGatheringCopiesRowsInOrderWithAndWithoutAMap() {
        let data = SparseRows(dimension: 6, rows: [[(0, 1), (3, 2)], [], [(1, 3), (2, 4), (5, 5)], [(4, 6)]])
        let rows = [2, 1, 0, 2]
        let plain = data.gathering(rows)
        XCTAssertEqual(plain.dimension, 6)
        XCTAssertEqual(plain.starts, [0, 3, 3, 5, 8])
        XCTAssertEqual(plain.indices, [1, 2, 5, 0, 3, 1, 2, 5])
        XCTAssertEqual(plain.values, [3, 4, 5, 1, 2, 3, 4, 5])
        let map: [Int32] = [5, 4, 3, 2, 1, 0]
        let mapped = data.gathering(rows, dimension: 6, map: map)
        XCTAssertEqual(mapped.indices, [4, 3, 0, 5, 2, 4, 3, 0])
        XCTAssertEqual(mapped.values, plain.values)
        XCTAssertEqual(data.gathering([1]).starts, [0, 0])
    }

    /// Nearest centroids two rows at a time (an odd count: one row left alone) equal a row-by-row
    /// reference that sums each dot product in the row's order: same centroids and distances, for a
    /// SIMD4 of centroids (k ≤ 4), one SIMD8 and more; through a map (dimension 0 of the centroids'
    /// space unused, zero), and without row norms (distances left 0).
    func testNearestMatchesARowByRowReference() {
        var generator = SplitMix64(seed: 21)
        let rows: [[(Int, Float)]] = (0..<41).map { r in
            Set((0..<(3 + r % 9)).map { _ in Int(generator.next() % 32) }).map { ($0, Float(generator.nextUnit())) }
        }
        let data = SparseRows(dimension: 32, rows: rows)
        let subset = Array(stride(from: 40, through: 0, by: -2)) + [1, 3, 5, 7]
        // Dimensions 0..<16 are the compact space's 1...16 (reversed); 16..<32 are unused (0).
        let map = (0..<32).map { Int32($0 < 16 ? 16 - $0 : 0) }
        for k in [2, 3, 4, 5, 8, 11] {
            let width = KMeans.width(k)
            let centroids = (0..<(17 * width)).map { i in i / width == 0 || i % width >= k ? 0 : Float(generator.nextUnit()) }
            let norms = (0..<k).map { c in (0..<17).reduce(Float(0)) { $0 + centroids[$1 * width + c] * centroids[$1 * width + c] } }
            let rowNorms = subset.map { data.squaredNorm($0) }
            let found = KMeans.nearest(data, rows: subset, k: k, centroids: centroids, squaredNorms: norms, current: nil, map: map, rowNorms: rowNorms)
            let unnormed = KMeans.nearest(data, rows: subset, k: k, centroids: centroids, squaredNorms: norms, current: nil, map: map, rowNorms: nil)
            XCTAssertEqual(unnormed.first, found.first)
            XCTAssertTrue(unnormed.firstDistance.allSatisfy { $0 == 0 })
            for (position, row) in subset.enumerated() {
                let values = (0..<k).map { c in
                    var dot: Float = 0
                    for p in data.starts[row]..<data.starts[row + 1] { dot += data.values[p] * centroids[Int(map[Int(data.indices[p])]) * width + c] }
                    return norms[c] - 2 * dot
                }
                let best = values.indices.min { values[$0] < values[$1] }!
                XCTAssertEqual(Int(found.first[position]), best, "k \(k) row \(row)")
                XCTAssertEqual(found.firstDistance[position], max(0, rowNorms[position] + values[best]), "k \(k) row \(row)")
            }
        }
    }

    /// A block split where it lies in a table (`subtree` on some of the table's rows) gives the blocks
    /// of the same block copied to a table of its own.
    func testSubtreeSplitsInPlaceAsOnACopy() {
        let (data, _) = blobs((0..<12).map { i in [Float(i % 3) * 4, Float(i / 3) * 4, 0, 1] }, perBlob: 15, noise: 0.6, seed: 7)
        let blocking = KMeansBlocking(maxBlockSize: 12, seed: 3)
        let rows = Array(stride(from: 1, to: data.count, by: 2))
        let inPlace = blocking.subtree(data, positions: rows, rows: rows, ids: nil, level: 1)
        let copied = blocking.subtree(data.gathering(rows), positions: Array(rows.indices), rows: rows, ids: nil, level: 1)
        XCTAssertEqual(inPlace, copied)
        XCTAssertEqual(inPlace.flatMap { $0 }.sorted(), rows)
        XCTAssertGreaterThan(inPlace.count, rows.count / 12)
    }
}
