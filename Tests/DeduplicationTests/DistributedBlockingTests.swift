import XCTest
@testable import Deduplication

/// How `DistributedBlocking` shares subtrees out among the ranks (the blocks themselves are checked
/// against one process by `DistributedDedupTests`, which runs 2 and 3 ranks under mpirun).
final class DistributedBlockingTests: XCTestCase {
    /// Four rounds of consecutive blocks, about a quarter of the rows each; in each, every block
    /// goes to exactly one rank, largest cost first to the least loaded rank.
    func testRoundsShareEachRoundsBlocksByCost() {
        let counts = [30, 10, 20, 40, 5, 5, 25, 15]
        let rounds = DistributedBlocking.rounds(counts: counts, costs: counts, ranks: 2)
        // Quarters of 150 rows by each block's midpoint: [30, 10], [20], [40, 5, 5], [25, 15].
        XCTAssertEqual(rounds, [[[0], [1]], [[2], []], [[3], [4, 5]], [[6], [7]]])
    }

    func testRoundsCoverEveryBlockOnceWithinALargestCostOfBalance() {
        var generator = SplitMix64(seed: 3)
        for ranks in [1, 2, 3, 5] {
            let counts = (0..<200).map { _ in 1 + Int(generator.next() % 500) }
            let costs = counts.map { $0 * (1 + Int(generator.next() % 3)) }
            let rounds = DistributedBlocking.rounds(counts: counts, costs: costs, ranks: ranks)
            XCTAssertEqual(rounds.count, 4)
            XCTAssertEqual(rounds.flatMap { $0.joined() }.sorted(), Array(counts.indices))
            var next = 0
            for round in rounds {
                XCTAssertEqual(round.count, ranks)
                let blocks = round.joined().sorted()
                XCTAssertEqual(blocks, Array(next..<(next + blocks.count)), "a round is consecutive blocks")
                next += blocks.count
                XCTAssertLessThan(blocks.reduce(0) { $0 + counts[$1] }, counts.reduce(0, +) / 4 + counts.max()!)
                let loads = round.map { $0.reduce(0) { $0 + costs[$1] } }
                XCTAssertLessThanOrEqual(loads.max()! - loads.min()!, blocks.map { costs[$0] }.max()!)
            }
        }
    }

    func testSubtreeCostCountsTheLevelsBelow() {
        let blocking = KMeansBlocking(maxBlockSize: 40)
        XCTAssertEqual(blocking.subtreeCost(rows: 40), 40)
        XCTAssertEqual(blocking.subtreeCost(rows: 320), 2 * 320)
        XCTAssertEqual(blocking.subtreeCost(rows: 321), 3 * 321)
    }

    func testAscendingIndexFindsEachValue() {
        let ids = [2, 3, 5, 8, 13, 21]
        XCTAssertEqual(ids.map { ids.ascendingIndex(of: $0) }, Array(ids.indices))
    }
}
