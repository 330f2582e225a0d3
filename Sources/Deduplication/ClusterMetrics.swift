/// How well a clustering matches ground-truth entities.
///
/// Pairwise: a pair of rows is predicted a duplicate when it shares a cluster and truly one when it
/// shares an entity; precision, recall and F1 over those pairs. B-cubed: for each row, precision is
/// the share of its cluster that is its entity, recall the share of its entity that is in its
/// cluster; both averaged over rows, F1 their harmonic mean.
public struct ClusterMetrics: Sendable, Equatable {
    public var pairPrecision: Double, pairRecall: Double, pairF1: Double
    public var bcubedPrecision: Double, bcubedRecall: Double, bcubedF1: Double
    /// Duplicate pairs predicted, truly present, and both.
    public var predictedPairs: Int, truePairs: Int, correctPairs: Int

    /// Scores `predicted` cluster ids against `truth` entity ids (same length).
    public init<P: Hashable, T: Hashable>(predicted: [P], truth: [T]) {
        precondition(predicted.count == truth.count, "one truth per row")
        var cell: [Pair<P, T>: Int] = [:], clusterSize: [P: Int] = [:], entitySize: [T: Int] = [:]
        for (p, t) in zip(predicted, truth) {
            cell[Pair(a: p, b: t), default: 0] += 1
            clusterSize[p, default: 0] += 1
            entitySize[t, default: 0] += 1
        }
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        correctPairs = cell.values.reduce(0) { $0 + pairs($1) }
        predictedPairs = clusterSize.values.reduce(0) { $0 + pairs($1) }
        truePairs = entitySize.values.reduce(0) { $0 + pairs($1) }
        pairPrecision = predictedPairs == 0 ? 1 : Double(correctPairs) / Double(predictedPairs)
        pairRecall = truePairs == 0 ? 1 : Double(correctPairs) / Double(truePairs)
        pairF1 = ClusterMetrics.harmonic(pairPrecision, pairRecall)
        // Σ over rows of |C ∩ E| / |C| = Σ over cells of n_ce² / |C|.
        var precision = 0.0, recall = 0.0
        for (key, n) in cell {
            precision += Double(n * n) / Double(clusterSize[key.a]!)
            recall += Double(n * n) / Double(entitySize[key.b]!)
        }
        let rows = Double(max(predicted.count, 1))
        bcubedPrecision = predicted.isEmpty ? 1 : precision / rows
        bcubedRecall = predicted.isEmpty ? 1 : recall / rows
        bcubedF1 = ClusterMetrics.harmonic(bcubedPrecision, bcubedRecall)
    }

    static func harmonic(_ a: Double, _ b: Double) -> Double { a + b == 0 ? 0 : 2 * a * b / (a + b) }

    /// The entity of a Febrl record id: "rec-12-org" and "rec-12-dup-3" are both entity "12"; any
    /// other label is its own entity.
    public static func febrlEntity(_ label: String) -> String {
        let parts = label.split(separator: "-")
        if parts.count >= 3, parts[0] == "rec", parts[2] == "org" || parts[2] == "dup" { return String(parts[1]) }
        return label
    }
}

struct Pair<A: Hashable, B: Hashable>: Hashable {
    var a: A
    var b: B
}
