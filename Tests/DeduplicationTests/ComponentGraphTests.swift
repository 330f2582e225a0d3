import MessagePassing
import TestSupport
import XCTest
@testable import Deduplication

/// `componentGraph` in one process against a plain union of the positive pairs, and on 2 and 3
/// ranks (threads, each holding the pairs (a, b) with a mod N = rank, as the N-rank run does)
/// against one process: every node's adjacency, in order, on exactly one rank, the rank of its
/// component's smallest row mod N.
final class ComponentGraphTests: XCTestCase {
    func testRanksHoldWholeComponentsOfTheOneProcessGraph() {
        var generator = SplitMix64(seed: 5)
        let count = 300
        var drawn = Set<PairKey>()
        while drawn.count < 500 {
            let a = Int(generator.next() % UInt64(count)), b = Int(generator.next() % UInt64(count))
            if a != b { drawn.insert(PairKey(min(a, b), max(a, b))) }
        }
        let pairs = drawn.sorted()
        let weights = pairs.map { _ in Double(generator.next() % 7) - 4.5 }  // 2 in 7 positive: chains, trees and lone rows
        var sets = UnionFind(count: count)
        for (pair, weight) in zip(pairs, weights) where weight > 0 { sets.union(pair.first, pair.second) }
        var smallest: [Int: Int] = [:]
        for row in 0..<count { smallest[sets.find(row)] = min(smallest[sets.find(row)] ?? row, row) }
        let component = { (row: Int) in smallest[sets.find(row)]! }

        let one = Deduplicator.componentGraph(count: count, pairs: pairs, weights: weights, SingleProcessCommunicator())
        let inside = zip(pairs, weights).filter { component($0.0.first) == component($0.0.second) }
        XCTAssertEqual(edges(one.graph).map(\.pair), inside.map(\.0))
        XCTAssertEqual(edges(one.graph).map(\.weight), inside.map(\.1))
        XCTAssertEqual(one.positivePairs, weights.filter { $0 > 0 }.count)
        XCTAssertLessThan(inside.count, pairs.count, "some pairs lie between components")

        for ranks in [2, 3] {
            let results = ThreadedCommunicator.run(ranks: ranks) { communicator in
                let own = pairs.indices.filter { pairs[$0].first % ranks == communicator.rank }
                return Deduplicator.componentGraph(count: count, pairs: own.map { pairs[$0] }, weights: own.map { weights[$0] }, communicator)
            }
            for node in 0..<count {
                let holders = results.indices.filter { !results[$0].graph.neighbors[node].isEmpty }
                XCTAssertEqual(holders, one.graph.neighbors[node].isEmpty ? [] : [component(node) % ranks], "node \(node), \(ranks) ranks")
                for rank in holders {
                    XCTAssertEqual(results[rank].graph.neighbors[node].map(\.0), one.graph.neighbors[node].map(\.0), "node \(node), \(ranks) ranks")
                    XCTAssertEqual(results[rank].graph.neighbors[node].map(\.1), one.graph.neighbors[node].map(\.1), "node \(node), \(ranks) ranks")
                }
            }
            XCTAssertEqual(results.map(\.positivePairs), Array(repeating: one.positivePairs, count: ranks))
        }
    }

    /// The edges of `graph`, each once (i < j), by pair.
    func edges(_ graph: SignedGraph) -> [(pair: PairKey, weight: Double)] {
        (0..<graph.count).flatMap { i in graph.neighbors[i].filter { $0.0 > i }.map { (PairKey(i, $0.0), $0.1) } }.sorted { $0.pair < $1.pair }
    }
}
