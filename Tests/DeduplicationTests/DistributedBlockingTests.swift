import TestSupport
import XCTest
import MessagePassing
@testable import Deduplication

/// How `DistributedBlocking` shares subtrees out among the ranks (the blocks themselves are checked
/// against one process by `DistributedDedupTests`, which runs 2 and 3 ranks under mpirun).
final class DistributedBlockingTests: XCTestCase {
    /// Four rounds of consecutive blocks (rows within 4 × 2 × 20), about a quarter of the rows
    /// each; in each, every block goes to exactly one rank, largest first to the rank with the fewest rows.
    func testRoundsShareEachRoundsBlocksByRows() {
        let counts = [30, 10, 20, 40, 5, 5, 25, 15]
        let rounds = DistributedBlocking.rounds(counts: counts, ranks: 2, maxRankRows: 20)
        // Quarters of 150 rows by each block's midpoint: [30, 10], [20], [40, 5, 5], [25, 15].
        XCTAssertEqual(rounds, [[[0], [1]], [[2], []], [[3], [4, 5]], [[6], [7]]])
    }

    func testRoundsCoverEveryBlockOnceWithinALargestBlockOfBalance() {
        var generator = SplitMix64(seed: 3)
        for ranks in [1, 2, 3, 5] {
            let counts = (0..<200).map { _ in 1 + Int(generator.next() % 500) }
            let rows = counts.reduce(0, +)
            let rounds = DistributedBlocking.rounds(counts: counts, ranks: ranks, maxRankRows: rows / (4 * ranks) + 1)
            XCTAssertEqual(rounds.count, 4)
            XCTAssertEqual(rounds.flatMap { $0.joined() }.sorted(), Array(counts.indices))
            var next = 0
            for round in rounds {
                XCTAssertEqual(round.count, ranks)
                let blocks = round.joined().sorted()
                XCTAssertEqual(blocks, Array(next..<(next + blocks.count)), "a round is consecutive blocks")
                next += blocks.count
                XCTAssertLessThan(blocks.reduce(0) { $0 + counts[$1] }, counts.reduce(0, +) / 4 + counts.max()!)
                let loads = round.map { $0.reduce(0) { $0 + counts[$1] } }
                XCTAssertLessThanOrEqual(loads.max()! - loads.min()!, blocks.map { counts[$0] }.max()!)
            }
        }
    }

    /// Rows within `maxRankRows` a rank: one round, every block shared out in it (fewer ends of
    /// rounds to wait at); above, more rounds: each round's rows within the bound (and a block),
    /// every block once.
    func testRoundsAreTheFewestWithinTheRowBound() {
        let counts = [Int](repeating: 10, count: 100)
        let one = DistributedBlocking.rounds(counts: counts, ranks: 2, maxRankRows: 1000)
        XCTAssertEqual(one.count, 1)
        XCTAssertEqual(one[0].map(\.count), [50, 50])
        XCTAssertEqual(DistributedBlocking.rounds(counts: counts, ranks: 2, maxRankRows: 250).count, 2)
        let rounds = DistributedBlocking.rounds(counts: counts, ranks: 2, maxRankRows: 50)
        XCTAssertEqual(rounds.count, 10)
        XCTAssertEqual(rounds.flatMap { $0.joined() }.sorted(), Array(counts.indices))
        for round in rounds { XCTAssertLessThanOrEqual(round.joined().reduce(0) { $0 + counts[$1] }, 2 * 50 + 10) }
    }

    /// Blocks of two passes in one round: a row of blocks of both passes on one rank is received
    /// twice, once listed in each block.
    func testFinishSendsARowOnceABlock() {
        let vectors = SparseRows(dimension: 4, rows: (0..<6).map { [($0 % 4, Float(1))] })
        let distributed = DistributedBlocking(vectors: vectors, shares: [0..<6], communicator: SingleProcessCommunicator())
        let blocks = [[0, 1, 2], [3], [1, 2, 4]]  // passes 0, 0, 1
        var received: [([Int], [[Int]], [Int])] = []
        let sum = distributed.finish(counts: blocks.map(\.count), local: { blocks[$0] }, byRanks: { vectors, ids, lists, mine in
            XCTAssertEqual(vectors.count, ids.count)
            received.append((ids, lists, mine))
            return mine.count
        })
        XCTAssertEqual(sum, 3)
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received[0].0, [0, 1, 1, 2, 2, 3, 4])
        XCTAssertEqual(received[0].1, [[0, 1, 3], [5], [2, 4, 6]])
        XCTAssertEqual(received[0].2, [0, 1, 2])
    }

    /// On one rank, three passes split together and finished in one round (every row received
    /// once a pass): the pairs, cosines and pairs looked at of one process's `KMeansBlocking.blocks`.
    func testPassesTogetherFindTheOneProcessPairs() {
        var generator = SplitMix64(seed: 5)
        let rows: [[(Int, Float)]] = (0..<1500).map { i in
            let center = i % 150
            var entries = [(center % 40, Float(1)), (40 + center / 40, Float(1)), (44 + Int(generator.next() % 30), Float(0.5))]
            entries.sort { $0.0 < $1.0 }
            let norm = entries.reduce(Float(0)) { $0 + $1.1 * $1.1 }.squareRoot()
            return entries.map { ($0.0, $0.1 / norm) }
        }
        let vectors = SparseRows(dimension: 80, rows: rows)
        let blockings = (0..<3).map { KMeansBlocking(maxBlockSize: 12, seed: UInt64($0) &* 7919) }
        let blocks = KMeansBlocking.blocks(vectors, blockings)
        let oracle = CandidatePairs(blocks: Array(blocks.joined()), vectors: vectors, minCosine: 0.5)
        var distributed = DistributedBlocking(vectors: vectors, shares: [0..<vectors.count], communicator: SingleProcessCommunicator())
        let (pairs, firstPassBlocks) = distributed.candidatePairs(blockings, valueBlocks: FlatBlocks(), minCosine: 0.5)
        XCTAssertGreaterThan(oracle.pairs.count, 1000)
        XCTAssertEqual(pairs.pairs, oracle.pairs)
        XCTAssertEqual(pairs.cosines, oracle.cosines)
        XCTAssertEqual(pairs.examined, oracle.examined)
        XCTAssertEqual(firstPassBlocks, blocks[0].count)
    }

    /// Each rank's share of the value blocks (overlapping), paired in rounds of a few rows: over
    /// the ranks, the one-process pairs with their cosines, each pair (a, b) bucketed for rank
    /// a mod N, and as many pairs examined.
    func testValuePairsOnTwoAndThreeRanksAreTheOneProcessPairs() {
        var generator = SplitMix64(seed: 11)
        let rows = 60, dimension = 32
        let vectors = SparseRows(dimension: dimension, rows: (0..<rows).map { _ in
            let dimensions = Set((0..<6).map { _ in Int(generator.next() % UInt64(dimension)) }).sorted()
            let values = dimensions.map { _ in Float(1 + generator.next() % 4) }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return zip(dimensions, values).map { ($0, $1 / norm) }
        })
        let blocks = (0..<40).map { _ in Set((0..<(2 + Int(generator.next() % 5))).map { _ in Int(generator.next() % UInt64(rows)) }).sorted() }
            .filter { $0.count >= 2 }
        let one = CandidatePairs(blocks: blocks, vectors: vectors, minCosine: 0.2)
        XCTAssertGreaterThan(one.pairs.count, 20)
        for ranks in [2, 3] {
            let shares = (0..<ranks).map { Parallel.range($0, of: ranks, count: rows) }
            let found = ThreadedCommunicator.run(ranks: ranks) { communicator in
                let blocking = DistributedBlocking(vectors: vectors.gathering(Array(shares[communicator.rank])), shares: shares, communicator: communicator)
                var own = FlatBlocks()
                for (b, block) in blocks.enumerated() where b % ranks == communicator.rank { own.append(block) }
                return blocking.valuePairs(own, minCosine: 0.2, maxRoundRows: 7)
            }
            var cosines: [PairKey: Float] = [:]
            for rankFound in found {
                for (owner, keys) in rankFound.keys.enumerated() {
                    for (key, cosine) in zip(keys, rankFound.cosines[owner]) {
                        let pair = PairKey(wire: key)
                        XCTAssertEqual(pair.first % ranks, owner)
                        cosines[pair] = cosine
                    }
                }
            }
            XCTAssertEqual(cosines.keys.sorted(), one.pairs, "\(ranks) ranks")
            XCTAssertEqual(one.pairs.map { cosines[$0] }, one.cosines)
            XCTAssertEqual(found.reduce(0) { $0 + $1.examined }, one.examined)
        }
    }
}
