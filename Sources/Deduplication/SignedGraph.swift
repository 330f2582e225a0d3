/// An undirected graph on n nodes whose edges carry signed similarities (positive: same entity,
/// negative: different). Pairs without an edge count as 0. `components` splits it into the
/// connected components of its positive edges, which clusterings can treat independently: merging
/// across them can only add non-positive weight.
public struct SignedGraph: Sendable {
    public let count: Int
    /// Adjacency lists: for node i, (neighbor, weight) pairs.
    public private(set) var neighbors: [[(Int, Double)]]

    public init(count: Int) {
        self.count = count
        neighbors = Array(repeating: [], count: count)
    }

    /// Adds the edge i–j with weight w (i ≠ j; add each pair once).
    public mutating func addEdge(_ i: Int, _ j: Int, _ w: Double) {
        precondition(i != j, "no self loops")
        neighbors[i].append((j, w))
        neighbors[j].append((i, w))
    }

    /// The connected components of the positive edges with two or more nodes (each a sorted node
    /// list), by first node; every other node is alone.
    public func positiveComponents() -> [[Int]] {
        var sets = UnionFind(count: count)
        var linked: [Int] = []
        for i in 0..<count where neighbors[i].contains(where: { $0.1 > 0 }) {
            linked.append(i)
            for (j, w) in neighbors[i] where w > 0 && j > i { sets.union(i, j) }
        }
        // Each root's group, numbered as first met: the linked nodes ascending, so by first node.
        var group = [Int32](repeating: -1, count: count), groups: [[Int]] = []
        for i in linked {
            let root = sets.find(i)
            if group[root] < 0 { group[root] = Int32(groups.count); groups.append([]) }
            groups[Int(group[root])].append(i)
        }
        return groups
    }

    /// Σ of the edge weights inside clusters (the quantity correlation clustering maximizes).
    public func agreement(_ labels: [Int]) -> Double {
        var total = 0.0
        for i in 0..<count { for (j, w) in neighbors[i] where j > i && labels[i] == labels[j] { total += w } }
        return total
    }
}
