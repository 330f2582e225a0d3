import MessagePassing

extension Deduplicator {
    /// Stage 8's input: the scored pairs inside connected components of positive pairs (no other
    /// pair can change the clustering) as a signed graph on the `count` distinct rows, added in pair
    /// order; and how many pairs scored positive in all. A collective call over the pairs of every
    /// rank (one process: all of them); see `componentGraph(count:pairs:weights:_:)`.
    func componentGraph(count: Int, _ candidates: CandidatePairs, _ patterns: AgreementPatterns, _ scores: PairScores,
                        _ communicator: any Communicator) -> (graph: SignedGraph, positivePairs: Int) {
        Self.componentGraph(count: count, pairs: candidates.pairs, weights: candidates.pairs.indices.map { scores.weight(pair: $0, patterns) },
                            communicator)
    }

    /// `componentGraph` of this rank's `pairs` with their signed `weights` (the other ranks pass
    /// theirs). Every rank's positive pairs (8 bytes each, about 1 candidate pair in 6) are
    /// allgathered and joined by union-find on every rank, so every rank knows every row's component
    /// and its root, the component's smallest row (`UnionFind` keeps the smaller root). Each pair
    /// inside a component is sent to the rank of its root mod N, so each rank's graph holds whole
    /// components and nothing else, its edges sorted by pair (the order one process adds them).
    static func componentGraph(count: Int, pairs: [PairKey], weights: [Double], _ communicator: any Communicator) -> (graph: SignedGraph, positivePairs: Int) {
        let positive = communicator.allgatherConcatenated(pairs.indices.filter { weights[$0] > 0 }.map { pairs[$0].wire }).values
        var components = UnionFind(count: count)
        for wire in positive {
            let pair = PairKey(wire: wire)
            components.union(pair.first, pair.second)
        }
        var keys = [[Int64]](repeating: [], count: communicator.size), edgeWeights = [[Double]](repeating: [], count: communicator.size)
        for (pair, weight) in zip(pairs, weights) {
            let root = components.find(pair.first)
            guard root == components.find(pair.second) else { continue }
            keys[root % communicator.size].append(pair.wire)
            edgeWeights[root % communicator.size].append(weight)
        }
        let edges = zip(communicator.allToAll(keys).values, communicator.allToAll(edgeWeights).values).sorted { $0.0 < $1.0 }
        keys = []
        edgeWeights = []
        var graph = SignedGraph(count: count)
        for (key, weight) in edges { let pair = PairKey(wire: key); graph.addEdge(pair.first, pair.second, weight) }
        return (graph, positive.count)
    }
}
