/// Agglomerative (hierarchical) clustering with average linkage over signed similarities: start
/// from singletons and repeatedly merge the two clusters whose average pair weight is highest
/// (unscored pairs count 0), while that average is positive. Each positive component of the graph
/// is clustered on its own with an O(m²) similarity table and O(m³) time, so it is meant for small
/// inputs (components up to `maxComponent` nodes).
public struct AgglomerativeClustering: Sendable {
    public var maxComponent: Int

    public init(maxComponent: Int = 3000) { self.maxComponent = maxComponent }

    /// A cluster label per node, or nil when a component is larger than `maxComponent`.
    public func cluster(_ graph: SignedGraph) -> [Int]? {
        var labels = Array(0..<graph.count)
        for component in graph.positiveComponents() where component.count > 1 {
            guard component.count <= maxComponent else { return nil }
            let m = component.count
            var local: [Int: Int] = [:]
            for (index, node) in component.enumerated() { local[node] = index }
            // sum[a·m + b]: total weight between clusters a and b; size[a]; alive[a].
            var sum = [Double](repeating: 0, count: m * m)
            for (a, node) in component.enumerated() {
                for (neighbor, w) in graph.neighbors[node] { if let b = local[neighbor] { sum[a * m + b] += w } }
            }
            var size = [Int](repeating: 1, count: m)
            var alive = [Bool](repeating: true, count: m)
            var owner = Array(0..<m)
            while true {
                var best = 0.0, pair = (-1, -1)
                for a in 0..<m where alive[a] {
                    for b in (a + 1)..<m where alive[b] {
                        let average = sum[a * m + b] / Double(size[a] * size[b])
                        if average > best { best = average; pair = (a, b) }
                    }
                }
                guard pair.0 >= 0 else { break }
                let (a, b) = pair
                for c in 0..<m where alive[c] && c != a && c != b {
                    sum[a * m + c] += sum[b * m + c]
                    sum[c * m + a] = sum[a * m + c]
                }
                size[a] += size[b]
                alive[b] = false
                for i in 0..<m where owner[i] == b { owner[i] = a }
            }
            for (index, node) in component.enumerated() { labels[node] = component[owner[index]] }
        }
        return labels
    }
}
