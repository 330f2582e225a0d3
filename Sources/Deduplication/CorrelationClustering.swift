/// Correlation clustering over signed similarities: find the partition that maximizes the total
/// weight of the pairs it puts together (equivalently, minimizes the positive weight it cuts plus
/// the negative weight it keeps), without being told how many clusters there are. Each
/// positive component is solved separately by the pivot algorithm (KwikCluster: a random pivot takes
/// its positive neighbors that are still free; several seeded orders, the best kept), then improved by
/// local moves (a node joins the neighboring cluster, or a new one, that raises the total; two
/// clusters with positive weight between them merge) until none helps.
public struct CorrelationClustering: Sendable {
    public var pivotRounds: Int
    public var maxPasses: Int
    public var seed: UInt64

    public init(pivotRounds: Int = 8, maxPasses: Int = 50, seed: UInt64 = 0) {
        self.pivotRounds = pivotRounds
        self.maxPasses = maxPasses
        self.seed = seed
    }

    /// A cluster label per node: the smallest node index in its cluster. Components are clustered
    /// independently (each seeded by its own smallest node), in chunks on all cores.
    public func cluster(_ graph: SignedGraph) -> [Int] {
        var labels = Array(0..<graph.count)
        let components = graph.positiveComponents()
        labels.withUnsafeMutableBufferPointer { labels in
            _ = Parallel.mapChunks(count: components.count, chunks: Parallel.chunks(components.count, itemsPerChunk: 1024, perCore: 4)) { range in
                for component in components[range] where component.count > 1 {
                    for (node, label) in zip(component, cluster(component, graph)) { labels[node] = label }
                }
            }
        }
        return labels
    }

    /// The labels of the nodes of `component` (ascending, two or more, positively connected) in
    /// `graph`: the best of `pivotRounds` seeded pivotings, each improved by local moves; each
    /// cluster named by its smallest node.
    func cluster(_ component: [Int], _ graph: SignedGraph) -> [Int] {
        if component.count == 2 { return [component[0], component[0]] }
        // Pivot orders seeded per component (by its smallest node), so a component is clustered
        // the same whatever else the graph holds (on N ranks each rank holds some components).
        var generator = SplitMix64(seed: seed ^ (UInt64(component[0]) &* 0x9E37_79B9_7F4A_7C15))
        // The component's edges in local indices (positions in the sorted component).
        let edges: [[(Int, Double)]] = component.map { node in
            graph.neighbors[node].compactMap { neighbor, w in CorrelationClustering.position(of: neighbor, in: component).map { ($0, w) } }
        }
        var best: [Int] = []
        var bestScore = -Double.infinity
        for _ in 0..<pivotRounds {
            var local = pivot(edges, generator: &generator)
            improve(edges, labels: &local)
            let score = agreement(edges, local)
            if score > bestScore { bestScore = score; best = local }
        }
        // Name each cluster by its smallest member.
        var name: [Int: Int] = [:]
        return component.indices.map { index in
            if name[best[index]] == nil { name[best[index]] = component[index] }
            return name[best[index]]!
        }
    }

    /// The position of `node` in the ascending `nodes`, or nil.
    static func position(of node: Int, in nodes: [Int]) -> Int? {
        let index = nodes.lowerBound(node)
        return index < nodes.count && nodes[index] == node ? index : nil
    }

    /// KwikCluster in a random order; labels are local pivot indices.
    func pivot(_ edges: [[(Int, Double)]], generator: inout SplitMix64) -> [Int] {
        var labels = [Int](repeating: -1, count: edges.count)
        for node in Array(edges.indices).shuffled(using: &generator) where labels[node] < 0 {
            labels[node] = node
            for (neighbor, w) in edges[node] where w > 0 && labels[neighbor] < 0 { labels[neighbor] = node }
        }
        return labels
    }

    /// Local search: node moves until none helps, then the best merge of two clusters with positive
    /// weight between them, and again, until neither helps.
    func improve(_ edges: [[(Int, Double)]], labels: inout [Int]) {
        var freshLabel = edges.count
        for _ in 0..<maxPasses {
            moveNodes(edges, labels: &labels, freshLabel: &freshLabel)
            var between: [Pair<Int, Int>: Double] = [:]
            for i in edges.indices {
                for (j, w) in edges[i] where j > i && labels[i] != labels[j] {
                    between[Pair(a: min(labels[i], labels[j]), b: max(labels[i], labels[j])), default: 0] += w
                }
            }
            // Ties go to the smallest pair of labels (a dictionary's order differs from run to run).
            guard let best = between.max(by: { $0.value < $1.value || ($0.value == $1.value && ($0.key.a, $0.key.b) > ($1.key.a, $1.key.b)) }),
                  best.value > 1e-12 else { return }
            for i in labels.indices where labels[i] == best.key.b { labels[i] = best.key.a }
        }
    }

    /// Node moves until no node gains by changing cluster (new clusters get fresh labels ≥ m).
    func moveNodes(_ edges: [[(Int, Double)]], labels: inout [Int], freshLabel: inout Int) {
        for _ in 0..<maxPasses {
            var moved = false
            for node in edges.indices {
                var toCluster: [Int: Double] = [:]
                for (neighbor, w) in edges[node] { toCluster[labels[neighbor], default: 0] += w }
                let current = toCluster[labels[node]] ?? 0
                var target = labels[node], gain = 0.0
                // Clusters in label order: ties go to the smallest label, the same in every run.
                for (cluster, w) in toCluster.sorted(by: { $0.key < $1.key }) where cluster != labels[node] && w - current > gain + 1e-12 {
                    target = cluster; gain = w - current
                }
                if -current > gain + 1e-12 {  // alone is better than any cluster
                    target = freshLabel
                    freshLabel += 1
                    gain = -current
                }
                if target != labels[node] && gain > 1e-12 {
                    labels[node] = target
                    moved = true
                }
            }
            if !moved { return }
        }
    }

    func agreement(_ edges: [[(Int, Double)]], _ labels: [Int]) -> Double {
        var total = 0.0
        for i in edges.indices { for (j, w) in edges[i] where j > i && labels[i] == labels[j] { total += w } }
        return total
    }
}
