import TestSupport
import XCTest
@testable import Deduplication

final class ValueBlockingTests: XCTestCase {
    func records(_ rows: [[String]]) throws -> NormalizedRecords {
        NormalizedRecords(rows: rows, fields: Array(rows[0].indices), normalizer: try AddressNormalizer())
    }

    func testRowsSharingAValueMakeABlockAndCommonValuesNone() throws {
        let rows = [["ann", "(965) 444-9145"], ["bob", "965 4449145"], ["ann", ""], ["cy", "12"], ["ann", ""], ["dee", "12"]]
        let blocks = ValueBlocking(maxGroup: 2).blocks(try records(rows), representatives: Array(rows.indices))
        // "ann" is held by 3 rows > 2: no block; the phone in two formats is one key; empty values make none.
        XCTAssertEqual(Set(blocks), [[0, 1], [3, 5]])
        XCTAssertEqual(Set(ValueBlocking(maxGroup: 3).blocks(try records(rows), representatives: Array(rows.indices))), [[0, 2, 4], [0, 1], [3, 5]])
    }

    func testBlocksAreIndicesIntoTheRepresentatives() throws {
        let rows = [["x", "1"], ["y", "2"], ["z", "1"]]
        XCTAssertEqual(ValueBlocking(maxGroup: 5).blocks(try records(rows), representatives: [0, 2]), [[0, 1]])
    }

    /// With k-means blocks of two rows and one pass, copies land apart; their shared zip brings them
    /// back together.
    func testValueBlocksFindWhatTinyKMeansBlocksMiss() throws {
        let (rows, entities) = DeduplicatorTests.smallTable()
        var options = DedupOptions()
        options.maxBlockSize = 2
        options.blockingPasses = 1
        options.maxValueGroup = 0
        let without = ClusterMetrics(predicted: try Deduplicator(options: options).run(rows: rows, fields: [0, 1, 2, 3]).clusterIDs, truth: entities)
        options.maxValueGroup = 20
        let with = ClusterMetrics(predicted: try Deduplicator(options: options).run(rows: rows, fields: [0, 1, 2, 3]).clusterIDs, truth: entities)
        XCTAssertLessThan(without.pairRecall, 0.9, "\(without)")
        XCTAssertGreaterThan(with.pairRecall, without.pairRecall + 0.1, "\(with)")
    }

    /// On 1, 2 and 3 ranks (threads), the fields keyed all in one round or one a round: over the
    /// ranks, the one-process blocks (indices into the representatives, each ascending), each on
    /// one rank, shared out.
    func testRanksShareOutTheOneProcessBlocks() throws {
        let (rows, _) = DeduplicatorTests.smallTable()
        let records = try records(rows)
        let representatives = rows.indices.filter { $0 % 7 != 3 }
        let one = ValueBlocking(maxGroup: 4).blocks(records, representatives: representatives)
        XCTAssertGreaterThan(one.count, 5)
        let sorted = { (blocks: [[Int]]) in blocks.sorted { $0.lexicographicallyPrecedes($1) } }
        for ranks in [1, 2, 3] {
            let shares = (0..<ranks).map { Parallel.range($0, of: ranks, count: representatives.count) }
            for maxRoundValues in [1 << 24, 1] {
                let flat = ThreadedCommunicator.run(ranks: ranks) { communicator in
                    ValueBlocking(maxGroup: 4).blocks(records, representatives: representatives, share: shares[communicator.rank],
                                                      communicator: communicator, maxRoundValues: maxRoundValues)
                }
                XCTAssertEqual(sorted(flat.flatMap(\.arrays)), sorted(one), "\(ranks) ranks, \(maxRoundValues) values a round")
                if ranks > 1 { XCTAssertTrue(flat.allSatisfy { $0.count < one.count }, "\(flat.map(\.count)) of \(one.count)") }
            }
        }
    }

    func testFlatBlocksHoldTheirBlocksEndToEnd() {
        var blocks = FlatBlocks()
        blocks.append([3, 5])
        blocks.append([Int]())
        blocks.append([1, 2, 9])
        XCTAssertEqual(blocks.count, 3)
        XCTAssertEqual(Array(blocks[2]), [1, 2, 9])
        XCTAssertEqual(blocks.arrays, [[3, 5], [], [1, 2, 9]])
    }
}
