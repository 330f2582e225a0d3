/// Correlation clustering over signed similarities: find the partition that maximizes the total
/// weight of the pairs it puts together (equivalently, minimizes the positive weight it cuts plus
/// the negative weight it keeps), without being told how many clusters there are. Each
/// positive component is solved separately by the pivot algorithm (KwikCluster: a random pivot takes
/// its positive neighbors that are still free; several seeded orders, the best kept), then improved by
/// local moves (a node joins the neighboring cluster, or a new one, that raises the total) until
/// none helps.
public struct CorrelationClustering: Sendable {
    public var pivotRounds: Int
    public var maxPasses: Int
    public var seed: UInt64

    public init(pivotRounds: Int = 8, maxPasses: Int = 50, seed: UInt64 = 0) {
        self.pivotRounds = pivotRounds
        self.maxPasses = maxPasses
        self.seed = seed
    }

    /// A cluster label per node (arbitrary integers; equal labels mean one cluster).
    public func cluster(_ graph: SignedGraph) -> [Int] {
        var labels = Array(0..<graph.count)
        var generator = SeededGenerator(seed: seed)
        var freshLabel = graph.count
        for component in graph.positiveComponents() where component.count > 1 {
            if component.count == 2 {
                labels[component[1]] = component[0]
                continue
            }
            var best: [Int] = []
            var bestScore = -Double.infinity
            for _ in 0..<pivotRounds {
                var local = pivot(graph, component, generator: &generator, labels: labels)
                improve(graph, component, labels: &local, freshLabel: &freshLabel)
                let score = agreement(graph, component, local)
                if score > bestScore { bestScore = score; best = local }
            }
            labels = best
        }
        return labels
    }

    /// KwikCluster over `component` in a random order, written into a copy of `labels`.
    func pivot(_ graph: SignedGraph, _ component: [Int], generator: inout SeededGenerator, labels: [Int]) -> [Int] {
        var labels = labels
        var free = Set(component)
        for node in component.shuffled(using: &generator) where free.contains(node) {
            free.remove(node)
            labels[node] = node
            for (neighbor, w) in graph.neighbors[node] where w > 0 && free.contains(neighbor) {
                free.remove(neighbor)
                labels[neighbor] = node
            }
        }
        return labels
    }

    /// Local moves until no node gains by changing cluster.
    func improve(_ graph: SignedGraph, _ component: [Int], labels: inout [Int], freshLabel: inout Int) {
        for _ in 0..<maxPasses {
            var moved = false
            for node in component {
                var toCluster: [Int: Double] = [:]
                for (neighbor, w) in graph.neighbors[node] { toCluster[labels[neighbor], default: 0] += w }
                let current = toCluster[labels[node]] ?? 0
                var target = labels[node], gain = 0.0
                for (cluster, w) in toCluster where cluster != labels[node] && w - current > gain + 1e-12 {
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

    func agreement(_ graph: SignedGraph, _ component: [Int], _ labels: [Int]) -> Double {
        var total = 0.0
        for i in component { for (j, w) in graph.neighbors[i] where j > i && labels[i] == labels[j] { total += w } }
        return total
    }
}
