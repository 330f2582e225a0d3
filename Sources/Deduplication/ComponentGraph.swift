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
    /// theirs). The components are found without gathering the pairs (`ComponentLabels`), and each
    /// component's pairs are sent to one rank — the rank of its smallest row mod N — so each rank's
    /// graph holds whole components and nothing else, its edges sorted by pair (the order one
    /// process adds them).
    static func componentGraph(count: Int, pairs: [PairKey], weights: [Double], _ communicator: any Communicator) -> (graph: SignedGraph, positivePairs: Int) {
        let positive = pairs.indices.filter { weights[$0] > 0 }.map { pairs[$0] }
        let components = ComponentLabels(count: count, positive: positive, communicator)
        // The component of each row a pair touches (fetched once per row, not once per pair end).
        var componentOf = [UInt32](repeating: 0, count: count)
        let rows = ComponentLabels.rows(of: pairs, count: count)
        for (row, label) in zip(rows, components.fetch(rows)) { componentOf[row] = UInt32(label) }
        var keys = [[Int64]](repeating: [], count: communicator.size), edgeWeights = [[Double]](repeating: [], count: communicator.size)
        for (pair, weight) in zip(pairs, weights) where componentOf[pair.first] == componentOf[pair.second] {
            let rank = Int(componentOf[pair.first]) % communicator.size
            keys[rank].append(pair.wire)
            edgeWeights[rank].append(weight)
        }
        componentOf = []
        let edges = zip(communicator.allToAll(keys).values, communicator.allToAll(edgeWeights).values).sorted { $0.0 < $1.0 }
        keys = []
        edgeWeights = []
        var graph = SignedGraph(count: count)
        for (key, weight) in edges { let pair = PairKey(wire: key); graph.addEdge(pair.first, pair.second, weight) }
        return (graph, Int(communicator.allreduceSum(Int64(positive.count))))
    }
}

/// The connected components of pairs spread over ranks, as a label per row — its component's
/// smallest row — stored on rank row mod N (`labels[row / N]`). Each rank joins its own pairs by
/// union-find, then the ranks lower labels to the smallest one reachable until nothing changes:
/// every round each rank fetches its rows' labels, gives every row of each of its local components
/// the smallest label among them, and also that label's row (pointer jumping), so long chains across
/// ranks merge in few rounds. Only labels cross ranks (8–16 bytes per row touched per round), never
/// the pairs.
struct ComponentLabels {
    let communicator: any Communicator
    /// The label of each row this rank stores: rows rank, rank + N, rank + 2N, …
    private(set) var labels: [Int]

    /// Finds the components of `pairs` (this rank's; the other ranks pass theirs) over `count` rows
    /// (a collective call).
    init(count: Int, positive pairs: [PairKey], _ communicator: any Communicator) {
        self.communicator = communicator
        labels = Array(stride(from: communicator.rank, to: count, by: communicator.size))
        var local = UnionFind(count: count)
        for pair in pairs { local.union(pair.first, pair.second) }
        let touched = ComponentLabels.rows(of: pairs, count: count)
        let roots = touched.map { local.find($0) }
        var changed = lower(zip(touched, roots).map { ($0, $1) })
        while changed {
            let current = fetch(touched)
            var smallest: [Int: Int] = [:]
            for (root, label) in zip(roots, current) { smallest[root] = min(smallest[root] ?? label, label) }
            var proposals: [(Int, Int)] = []
            for (index, row) in touched.enumerated() where smallest[roots[index]]! < current[index] {
                proposals.append((row, smallest[roots[index]]!))
                proposals.append((current[index], smallest[roots[index]]!))
            }
            changed = lower(proposals)
        }
    }

    /// The rows below `count` that `pairs` touch, ascending, each once.
    static func rows(of pairs: [PairKey], count: Int) -> [Int] {
        var touched = [Bool](repeating: false, count: count)
        for pair in pairs { touched[pair.first] = true; touched[pair.second] = true }
        return touched.indices.filter { touched[$0] }
    }

    /// The labels of `rows` (a collective call).
    func fetch(_ rows: [Int]) -> [Int] {
        let ranks = communicator.size
        var asks = [[Int64]](repeating: [], count: ranks)
        for row in rows { asks[row % ranks].append(Int64(row)) }
        let (requests, counts) = communicator.allToAll(asks)
        var answers: [[Int64]] = [], start = 0
        for count in counts {
            answers.append(requests[start..<(start + count)].map { Int64(labels[Int($0) / ranks]) })
            start += count
        }
        let replies = communicator.allToAll(answers).values
        var next = [Int](repeating: 0, count: ranks)  // each rank's next reply, in the order asked
        for r in 1..<max(1, ranks) { next[r] = next[r - 1] + asks[r - 1].count }
        return rows.map { row in
            defer { next[row % ranks] += 1 }
            return Int(replies[next[row % ranks]])
        }
    }

    /// Lowers each proposal's row's label to the proposed one where smaller; whether any label on
    /// any rank changed (a collective call).
    mutating func lower(_ proposals: [(row: Int, label: Int)]) -> Bool {
        let ranks = communicator.size
        var parts = [[Int64]](repeating: [], count: ranks)
        for (row, label) in proposals { parts[row % ranks].append(Int64(row)); parts[row % ranks].append(Int64(label)) }
        let received = communicator.allToAll(parts).values
        var changed: Int64 = 0
        for i in stride(from: 0, to: received.count, by: 2) where Int(received[i + 1]) < labels[Int(received[i]) / ranks] {
            labels[Int(received[i]) / ranks] = Int(received[i + 1])
            changed = 1
        }
        return communicator.allreduceSum(changed) > 0
    }
}
