import XCTest
@testable import Deduplication

final class ClusteringTests: XCTestCase {
    /// Two positive triangles {0,1,2} and {3,4,5} joined by a weak positive edge 2–3 and strong
    /// negative edges across; the best partition keeps the triangles apart.
    func twoTriangles() -> SignedGraph {
        var graph = SignedGraph(count: 7)
        for (i, j) in [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)] { graph.addEdge(i, j, 3) }
        graph.addEdge(2, 3, 1)
        for (i, j) in [(0, 3), (1, 3), (2, 4), (2, 5), (1, 4)] { graph.addEdge(i, j, -4) }
        return graph
    }

    func partition(_ labels: [Int]) -> Set<Set<Int>> {
        Set(Dictionary(grouping: labels.indices, by: { labels[$0] }).values.map { Set($0) })
    }

    func testCorrelationClusteringFindsTheOptimum() {
        for seed in 0..<5 as Range<UInt64> {
            let labels = CorrelationClustering(seed: seed).cluster(twoTriangles())
            XCTAssertEqual(partition(labels), [[0, 1, 2], [3, 4, 5], [6]])
        }
    }

    func testCorrelationClusteringMatchesBruteForceOnSmallGraphs() {
        var generator = SplitMix64(seed: 9)
        for _ in 0..<20 {
            let n = 7
            var graph = SignedGraph(count: n)
            for i in 0..<n { for j in (i + 1)..<n where generator.nextUnit() < 0.6 { graph.addEdge(i, j, generator.nextUnit() * 4 - 1.5) } }
            let found = graph.agreement(CorrelationClustering(seed: 1).cluster(graph))
            XCTAssertGreaterThanOrEqual(found, bestAgreement(graph) * 0.95 - 1e-9)
            XCTAssertGreaterThanOrEqual(found, 0)
        }
    }

    func testComponentsClusteredInChunksAreClusteredOneByOneOnAnyNumberOfThreads() {
        // 3000 random components of 2…7 nodes (a positive tree plus random signed edges), each
        // followed by a lone node: several chunks of components.
        var generator = SplitMix64(seed: 4)
        var sizes: [Int] = []
        for _ in 0..<3000 { sizes.append(2 + Int(generator.next() % 6)) }
        var graph = SignedGraph(count: sizes.reduce(0) { $0 + $1 + 1 })
        var offset = 0
        for n in sizes {
            for i in 1..<n { graph.addEdge(offset + Int(generator.next() % UInt64(i)), offset + i, 0.5 + generator.nextUnit()) }
            for i in 0..<n { for j in (i + 1)..<n where generator.nextUnit() < 0.3 { graph.addEdge(offset + i, offset + j, generator.nextUnit() * 4 - 2.5) } }
            offset += n + 1
        }
        let clustering = CorrelationClustering(seed: 3)
        var expected = Array(0..<graph.count)
        for component in graph.positiveComponents() {
            for (node, label) in zip(component, clustering.cluster(component, graph)) { expected[node] = label }
        }
        XCTAssertEqual(clustering.cluster(graph), expected)
        ThreadLimit.count = 1
        defer { ThreadLimit.count = nil }
        XCTAssertEqual(clustering.cluster(graph), expected)
    }

    /// The best agreement over all partitions of the graph's nodes (restricted-growth strings).
    func bestAgreement(_ graph: SignedGraph) -> Double {
        var labels = [Int](repeating: 0, count: graph.count), best = -Double.infinity
        func assign(_ i: Int, _ used: Int) {
            if i == graph.count { best = max(best, graph.agreement(labels)); return }
            for label in 0...used { labels[i] = label; assign(i + 1, max(used, label + 1)) }
        }
        assign(1, 1)
        return best
    }

    func testAgglomerativeKeepsTheTrianglesApart() {
        let labels = AgglomerativeClustering().cluster(twoTriangles())!
        XCTAssertEqual(partition(labels), [[0, 1, 2], [3, 4, 5], [6]])
    }

    func testAgglomerativeRefusesHugeComponents() {
        var graph = SignedGraph(count: 5)
        for i in 0..<4 { graph.addEdge(i, i + 1, 1) }
        XCTAssertNil(AgglomerativeClustering(maxComponent: 4).cluster(graph))
        XCTAssertEqual(Set(AgglomerativeClustering(maxComponent: 5).cluster(graph)!).count, 1)
    }

    func testMetricsByHand() {
        // Truth {a,a,a,b,b}; predicted {1,1,2,2,2}.
        let m = ClusterMetrics(predicted: [1, 1, 2, 2, 2], truth: ["a", "a", "a", "b", "b"])
        XCTAssertEqual(m.truePairs, 4)
        XCTAssertEqual(m.predictedPairs, 4)
        XCTAssertEqual(m.correctPairs, 2)
        XCTAssertEqual(m.pairF1, 0.5, accuracy: 1e-12)
        // B-cubed precision: (2/2 + 2/2 + 1/3 + 2/3 + 2/3) / 5; recall: (2/3 + 2/3 + 1/3 + 1 + 1) / 5.
        XCTAssertEqual(m.bcubedPrecision, (1 + 1 + 1.0 / 3 + 2.0 / 3 + 2.0 / 3) / 5, accuracy: 1e-12)
        XCTAssertEqual(m.bcubedRecall, (2.0 / 3 + 2.0 / 3 + 1.0 / 3 + 1 + 1) / 5, accuracy: 1e-12)
        XCTAssertEqual(ClusterMetrics.febrlEntity("rec-12-dup-3"), "12")
        XCTAssertEqual(ClusterMetrics.febrlEntity("rec-12-org"), "12")
        XCTAssertEqual(ClusterMetrics.febrlEntity("x-1"), "x-1")
    }
}
