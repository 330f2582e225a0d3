import Foundation

/// k-means on sparse rows under squared Euclidean distance: k-means++ seeding, Lloyd iterations,
/// several restarts keeping the lowest objective. The objective Σ_i ‖x_i − c_a(i)‖² never
/// increases from one iteration to the next (an iteration that would raise it through rounding is
/// undone and ends the run). Empty clusters are re-seeded with the point farthest from its centroid;
/// identical points are fine (seeding stops early when every point coincides with a center, so
/// fewer than k clusters may come back). Assignment runs on all cores.
public struct KMeans: Sendable {
    /// k, the number of clusters wanted.
    public var k: Int
    /// Independent seedings; the run with the lowest objective wins.
    public var restarts: Int
    /// The most Lloyd iterations per run.
    public var maxIterations: Int
    /// A run stops when an iteration lowers the objective by less than this fraction.
    public var tolerance: Double
    public var seed: UInt64

    public init(k: Int, restarts: Int = 3, maxIterations: Int = 30, tolerance: Double = 1e-5, seed: UInt64 = 0) {
        precondition(k >= 1 && restarts >= 1 && maxIterations >= 0, "k ≥ 1, restarts ≥ 1")
        self.k = k
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    /// A fitted model.
    public struct Model: Sendable {
        /// The number of clusters found (≤ the k asked for).
        public let k: Int
        /// D, the dimension.
        public let dimension: Int
        /// Centroids stored feature-major, (D, width) with width = k rounded up to a multiple of 8
        /// (`KMeans.width`, the columns past k zero): `centroids[d·width + c]`, so that a sparse row
        /// meets whole SIMD8 vectors of centroids per nonzero.
        public let centroids: [Float]
        /// The column stride of `centroids`, `KMeans.width(k)`.
        public var width: Int { KMeans.width(k) }
        /// ‖c‖² per centroid, (k).
        public let squaredNorms: [Float]
        /// The cluster of each fitted row, (N).
        public let assignments: [Int32]
        /// The final objective Σ ‖x − c‖².
        public let objective: Double
        /// The objective after each assignment step of the winning run; never increasing.
        public let history: [Double]
    }

    /// Fits k-means to `rows` of `data` (all rows when nil).
    public func fit(_ data: SparseRows, rows: [Int]? = nil) -> Model {
        let rows = rows ?? Array(0..<data.count)
        precondition(!rows.isEmpty, "k-means needs at least one row")
        var best: Model?
        for restart in 0..<restarts {
            var generator = SplitMix64(seed: seed &+ UInt64(restart) &* 0x9E37_79B9)
            let model = run(data, rows: rows, generator: &generator)
            if best == nil || model.objective < best!.objective { best = model }
        }
        return best!
    }

    /// The nearest and second-nearest centroid of each row and the squared distances to them.
    public static func nearest(_ data: SparseRows, rows: [Int], model: Model) -> (first: [Int32], firstDistance: [Float], second: [Int32], secondDistance: [Float]) {
        nearest(data, rows: rows, k: model.k, centroids: model.centroids, squaredNorms: model.squaredNorms, current: nil,
                rowNorms: rows.map { data.squaredNorm($0) })
    }

    // MARK: One run

    func run(_ data: SparseRows, rows: [Int], generator: inout SplitMix64) -> Model {
        let dimension = data.dimension
        let rowNorms = rows.map { data.squaredNorm($0) }
        let centers = KMeans.seedPlusPlus(data, rows: rows, norms: rowNorms, k: min(k, rows.count), generator: &generator)
        let k = centers.count, width = KMeans.width(k)
        // Centroid tables here are (D, width), the columns past k zero (`nearest` reads 8 at a time).
        var centroids = [Float](repeating: 0, count: dimension * width)
        for (c, row) in centers.enumerated() {
            for p in data.starts[row]..<data.starts[row + 1] { centroids[Int(data.indices[p]) * width + c] = data.values[p] }
        }
        var norms = centers.map { data.squaredNorm($0) }
        // The dimensions any fitted row uses: centroids are zero elsewhere, so updates skip them.
        var used = [Bool](repeating: false, count: dimension)
        for row in rows { for p in data.starts[row]..<data.starts[row + 1] { used[Int(data.indices[p])] = true } }
        let active = [Int](unsafeUninitializedCapacity: dimension) { active, count in
            count = 0
            for d in 0..<dimension where used[d] { active[count] = d; count += 1 }
        }
        used = []
        var sums = [Float](repeating: 0, count: dimension * width)
        var spare = [Float](repeating: 0, count: dimension * width)
        var found = KMeans.nearest(data, rows: rows, k: k, centroids: centroids, squaredNorms: norms, current: nil, rowNorms: rowNorms)
        var assignments = found.first, distances = found.firstDistance
        var objective = distances.reduce(0.0) { $0 + Double($1) }
        var history = [objective]
        var iteration = 0
        while iteration < maxIterations && objective > 0 {
            iteration += 1
            // Update: means of the assigned rows; empty clusters take the farthest points.
            var counts = [Int](repeating: 0, count: k)
            sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
            assignments.withUnsafeBufferPointer { assignments in
            data.starts.withUnsafeBufferPointer { starts in
            data.indices.withUnsafeBufferPointer { indices in
            data.values.withUnsafeBufferPointer { values in
                // Zeroed whole (one fill) unless few dimensions are active (a split's compact space
                // leaves only its dimension 0 out: row by row would be a call per dimension).
                if 2 * active.count >= dimension {
                    sums.update(repeating: 0)
                } else {
                    for d in active { (sums.baseAddress! + d * width).update(repeating: 0, count: width) }
                }
                for (position, row) in rows.enumerated() {
                    let a = Int(assignments[position])
                    counts[a] += 1
                    for p in starts[row]..<starts[row + 1] { sums[Int(indices[p]) * width + a] += values[p] }
                }
            }}}}}}
            var newAssignments = assignments
            if counts.contains(0) {
                var order = Array(rows.indices)
                order.sort { distances[$0] > distances[$1] }
                var next = 0
                for c in 0..<k where counts[c] == 0 {
                    while next < order.count && (counts[Int(newAssignments[order[next]])] <= 1 || distances[order[next]] <= 0) { next += 1 }
                    guard next < order.count else { break }
                    let position = order[next]
                    next += 1
                    let row = rows[position], old = Int(newAssignments[position])
                    counts[old] -= 1
                    counts[c] = 1
                    for p in data.starts[row]..<data.starts[row + 1] {
                        let d = Int(data.indices[p])
                        sums[d * width + old] -= data.values[p]
                        sums[d * width + c] += data.values[p]
                    }
                    newAssignments[position] = Int32(c)
                }
            }
            var newCentroids = spare  // zero outside the active dimensions, like every centroid table here
            spare = []
            let newNorms = KMeans.means(sums, counts: counts, previous: centroids, into: &newCentroids, dimensions: active)
            found = KMeans.nearest(data, rows: rows, k: k, centroids: newCentroids, squaredNorms: newNorms, current: newAssignments, rowNorms: rowNorms)
            let newObjective = found.firstDistance.reduce(0.0) { $0 + Double($1) }
            if newObjective > objective { break }  // rounding only: keep the better state
            let changed = zip(found.first, assignments).contains { $0 != $1 }
            let gain = objective - newObjective
            spare = centroids
            centroids = newCentroids
            norms = newNorms
            assignments = found.first
            distances = found.firstDistance
            objective = newObjective
            history.append(objective)
            if !changed || gain <= tolerance * max(objective, 1e-12) { break }
        }
        return Model(k: k, dimension: dimension, centroids: centroids, squaredNorms: Array(norms.prefix(k)),
                     assignments: assignments, objective: objective, history: history)
    }

    /// The column stride of the centroid tables (`Model.centroids`, those `run` keeps): k rounded up
    /// to a multiple of 8, so that a dimension's centroids are whole SIMD8 vectors.
    static func width(_ k: Int) -> Int { (k + 7) / 8 * 8 }

    /// The update step: `into` = `sums` / `counts` per centroid column at `dimensions` (tables
    /// (D, width)); a column with count 0 (an empty cluster, and the padding) keeps `previous`.
    /// Returns ‖c‖² per column, (width), each summed over `dimensions` in order.
    static func means(_ sums: [Float], counts: [Int], previous: [Float], into table: inout [Float], dimensions: [Int]) -> [Float] {
        let width = width(counts.count), lanes = width / 8
        var divisors = [SIMD8<Float>](repeating: .zero, count: lanes)
        for (c, count) in counts.enumerated() { divisors[c / 8][c % 8] = Float(count) }
        var norms = [SIMD8<Float>](repeating: .zero, count: lanes)
        sums.withUnsafeBytes { sums in
        previous.withUnsafeBytes { previous in
        table.withUnsafeMutableBytes { table in
        dimensions.withUnsafeBufferPointer { dimensions in
            // A lane of 8 centroids at a time, its norms summed over the dimensions in order.
            for lane in 0..<lanes {
                let divisor = divisors[lane], counted = divisor .> 0
                var norm = SIMD8<Float>()
                for d in dimensions {
                    let offset = (d * width + lane * 8) * 4
                    let mean = sums.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) / divisor
                    var value = previous.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                    value.replace(with: mean, where: counted)
                    table.storeBytes(of: value, toByteOffset: offset, as: SIMD8<Float>.self)
                    norm += value * value
                }
                norms[lane] = norm
            }
        }}}}
        return (0..<width).map { norms[$0 / 8][$0 % 8] }
    }

    /// k-means++: the first center uniformly at random, each next one with probability proportional
    /// to its squared distance from the nearest center chosen so far (the best of a few such draws).
    /// `norms`: the rows' squared norms, (rows.count). Returns row indices (≤ k of them: seeding
    /// stops when every row coincides with a center).
    static func seedPlusPlus(_ data: SparseRows, rows: [Int], norms: [Float], k: Int, generator: inout SplitMix64) -> [Int] {
        // Greedy k-means++ (as scikit-learn): 2 + ⌊ln k⌋ candidates per step, keep the one that
        // lowers the potential Σ min distance² the most. A step's draws depend only on the distances
        // before it, so its candidates are drawn first and their distances found in one pass.
        let trials = 2 + Int(log(Double(k)))
        var centers = [rows[Int(generator.next() % UInt64(rows.count))]]
        var dense = [SIMD4<Float>](repeating: .zero, count: data.dimension)
        var nearest = [[Float]](repeating: [Float](repeating: 0, count: rows.count), count: 1)
        distances(data, rows: rows, norms: norms, to: centers, dense: &dense, into: &nearest)
        var total = nearest[0].reduce(0.0) { $0 + Double($1) }
        var candidates = [[Float]](repeating: [Float](repeating: 0, count: rows.count), count: trials)
        while centers.count < k && total > 1e-9 {
            var chosen: [Int] = []
            nearest[0].withUnsafeBufferPointer { nearest in
                for _ in 0..<trials {
                    var target = generator.nextUnit() * total
                    var position = -1
                    for p in nearest.indices where nearest[p] > 0 {
                        position = p
                        target -= Double(nearest[p])
                        if target < 0 { break }
                    }
                    chosen.append(position)
                }
            }
            distances(data, rows: rows, norms: norms, to: chosen.map { rows[$0] }, dense: &dense, into: &candidates)
            var bestTrial = -1, bestTotal = Double.infinity
            for trial in 0..<trials {
                var candidateTotal = 0.0
                candidates[trial].withUnsafeMutableBufferPointer { candidate in
                nearest[0].withUnsafeBufferPointer { nearest in
                    for position in candidate.indices {
                        candidate[position] = min(candidate[position], nearest[position])
                        candidateTotal += Double(candidate[position])
                    }
                }}
                if bestTrial < 0 || candidateTotal < bestTotal { bestTrial = trial; bestTotal = candidateTotal }
            }
            centers.append(rows[chosen[bestTrial]])
            swap(&nearest[0], &candidates[bestTrial])
            total = bestTotal
        }
        return centers
    }

    /// Squared distances from each of `rows` (squared norms `norms`) to each row of `centers`, into
    /// `out[c]` (rows.count each), four centers per pass over the rows (each distance summed as one
    /// center alone would be); `dense` is a zero scratch table of D lanes of 4, left zero.
    static func distances(_ data: SparseRows, rows: [Int], norms: [Float], to centers: [Int], dense: inout [SIMD4<Float>], into out: inout [[Float]]) {
        for group in stride(from: 0, to: centers.count, by: 4) {
            let lanes = group..<min(centers.count, group + 4)
            var centerNorms = SIMD4<Float>()
            for c in lanes { centerNorms[c - group] = data.squaredNorm(centers[c]) }
            data.starts.withUnsafeBufferPointer { starts in
            data.indices.withUnsafeBufferPointer { indices in
            data.values.withUnsafeBufferPointer { values in
            dense.withUnsafeMutableBufferPointer { dense in
                for c in lanes { for p in starts[centers[c]]..<starts[centers[c] + 1] { dense[Int(indices[p])][c - group] = values[p] } }
                var dots = [SIMD4<Float>](repeating: .zero, count: rows.count)
                rows.withUnsafeBufferPointer { rows in
                    KMeans.sums(rows, rows.indices, starts, before: { _ in }, of: { values[$0] * dense[Int(indices[$0])] }) { dots[$0] = $1 }
                }
                for c in lanes {
                    out[c].withUnsafeMutableBufferPointer { out in
                        for position in rows.indices { out[position] = max(0, norms[position] + centerNorms[c - group] - 2 * dots[position][c - group]) }
                    }
                    for p in starts[centers[c]]..<starts[centers[c] + 1] { dense[Int(indices[p])] = .zero }
                }
            }}}}
        }
    }

    /// `body(position, Σ term(p))` for each position in `range`, in order, the sum over the nonzeros
    /// p of row rows[position] in their order; two rows are summed side by side (each in its own
    /// order, so the sums are those of one row at a time), so that two chains of additions overlap.
    /// `before(position)` is called before a row's sum is started.
    @inline(__always)
    static func sums<V: SIMD>(_ rows: UnsafeBufferPointer<Int>, _ range: Range<Int>, _ starts: UnsafeBufferPointer<Int>, before: (Int) -> Void,
                              of term: (Int) -> V, _ body: (Int, V) -> Void) where V.Scalar: FloatingPoint {
        var position = range.lowerBound
        while position + 1 < range.upperBound {
            before(position)
            before(position + 1)
            let a = starts[rows[position]], aEnd = starts[rows[position] + 1]
            let b = starts[rows[position + 1]], bEnd = starts[rows[position + 1] + 1]
            let common = min(aEnd - a, bEnd - b)
            var sumA = V(), sumB = V()
            for i in 0..<common {
                sumA += term(a + i)
                sumB += term(b + i)
            }
            for p in (a + common)..<aEnd { sumA += term(p) }
            for p in (b + common)..<bEnd { sumB += term(p) }
            body(position, sumA)
            body(position + 1, sumB)
            position += 2
        }
        if position < range.upperBound {
            before(position)
            var sum = V()
            for p in starts[rows[position]]..<starts[rows[position] + 1] { sum += term(p) }
            body(position, sum)
        }
    }

    /// For each row: the nearest centroid (ties keep `current`), the second nearest, and the squared
    /// distances given the rows' squared norms `rowNorms` (positions as `rows`; without them the
    /// distances are left 0: only the centroids are wanted). Centroids are (D, `width(k)`)
    /// feature-major, the columns past k zero (up to 8 centroids, each nonzero meets one SIMD8 row
    /// of them, or the SIMD4 of the first 4 when k ≤ 4; two rows at a time, `sums`). With `map`, a
    /// row's dimension i is read as the centroids' dimension map[i], where map[i] = 0 for the
    /// dimensions the centroids are zero in (centroids fitted in a compact space whose dimension 0
    /// no row uses: no branch per nonzero on whether it counts). Runs on all cores for large inputs.
    static func nearest(_ data: SparseRows, rows: [Int], k: Int, centroids: [Float], squaredNorms: [Float], current: [Int32]?,
                        map: [Int32]? = nil, rowNorms: [Float]?)
        -> (first: [Int32], firstDistance: [Float], second: [Int32], secondDistance: [Float]) {
        let n = rows.count
        var first = [Int32](repeating: 0, count: n), second = [Int32](repeating: 0, count: n)
        var firstDistance = [Float](repeating: 0, count: n), secondDistance = [Float](repeating: 0, count: n)
        let work = n * k
        let chunks = work < 200_000 ? 1 : Parallel.chunks(n, itemsPerChunk: 256, perCore: 4)
        let width = width(k)
        first.withUnsafeMutableBufferPointer { first in
        second.withUnsafeMutableBufferPointer { second in
        firstDistance.withUnsafeMutableBufferPointer { firstDistance in
        secondDistance.withUnsafeMutableBufferPointer { secondDistance in
        centroids.withUnsafeBufferPointer { centroids in
        squaredNorms.withUnsafeBufferPointer { norms in
        data.indices.withUnsafeBufferPointer { indices in
        data.values.withUnsafeBufferPointer { values in
        data.starts.withUnsafeBufferPointer { starts in
        rows.withUnsafeBufferPointer { rows in
        (map ?? []).withUnsafeBufferPointer { mapped in
        (rowNorms ?? []).withUnsafeBufferPointer { rowNorm in
            let map = map == nil ? nil : mapped.baseAddress
            let table = UnsafeRawPointer(centroids.baseAddress!)
            /// The centroids' dimension of nonzero p.
            @inline(__always) func dimension(_ p: Int) -> Int { map.map { Int($0[Int(indices[p])]) } ?? Int(indices[p]) }
            /// Nonzero p times its dimension's (up to 8) centroids.
            @inline(__always) func term(_ p: Int) -> SIMD8<Float> { values[p] * table.loadUnaligned(fromByteOffset: dimension(p) * 32, as: SIMD8<Float>.self) }
            /// Nonzero p times its dimension's first 4 centroids (k ≤ 4: half the arithmetic, the same lanes).
            @inline(__always) func term4(_ p: Int) -> SIMD4<Float> { values[p] * table.loadUnaligned(fromByteOffset: dimension(p) * 32, as: SIMD4<Float>.self) }
            /// Records the row at `position` given its dot product `dot(c)` with each centroid.
            @inline(__always) func record(_ position: Int, _ dot: (Int) -> Float) {
                var best = -1, bestValue = Float.infinity, runner = -1, runnerValue = Float.infinity
                if let current {
                    best = Int(current[position])
                    bestValue = norms[best] - 2 * dot(best)
                }
                for c in 0..<k where c != best {
                    let value = norms[c] - 2 * dot(c)
                    if value < bestValue {
                        runner = best; runnerValue = bestValue
                        best = c; bestValue = value
                    } else if value < runnerValue {
                        runner = c; runnerValue = value
                    }
                }
                first[position] = Int32(best)
                second[position] = Int32(runner < 0 ? best : runner)
                if rowNorms != nil {
                    firstDistance[position] = max(0, rowNorm[position] + bestValue)
                    secondDistance[position] = runner < 0 ? .infinity : max(0, rowNorm[position] + runnerValue)
                }
            }
            _ = Parallel.mapChunks(count: n, chunks: chunks) { range in
                // Rows are scattered over the table: their loads are started a few rows ahead.
                @inline(__always) func prefetchAhead(_ position: Int) {
                    if position + 8 < range.upperBound { prefetch(starts.baseAddress! + rows[position + 8]) }
                    if position + 4 < range.upperBound { prefetchRow(rows[position + 4], starts, indices, values) }
                }
                if k <= 4 {
                    KMeans.sums(rows, range, starts, before: prefetchAhead, of: term4) { position, dots in record(position) { dots[$0] } }
                } else if k <= 8 {
                    KMeans.sums(rows, range, starts, before: prefetchAhead, of: term) { position, dots in record(position) { dots[$0] } }
                } else {
                    var dots = [Float](repeating: 0, count: k)
                    dots.withUnsafeMutableBufferPointer { dots in
                        for position in range {
                            prefetchAhead(position)
                            let row = rows[position]
                            for c in 0..<k { dots[c] = 0 }
                            for p in starts[row]..<starts[row + 1] {
                                let v = values[p], base = dimension(p) * width
                                for c in 0..<k { dots[c] += v * centroids[base + c] }
                            }
                            record(position) { dots[$0] }
                        }
                    }
                }
            }
        }}}}}}}}}}}}
        return (first, firstDistance, second, secondDistance)
    }
}
