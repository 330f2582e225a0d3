import CAllocator
import TestSupport
import XCTest
@testable import Deduplication

final class RankTilesTests: XCTestCase {
    /// For every rank count: the tiles, in rank order, are all rows once, each holds the rows its
    /// share of the distinct rows is made of, and a tile of normalized rows is those rows.
    func testTilesCoverTheRowsOnceAndHoldTheirShares() throws {
        let representatives = [0, 1, 4, 5, 6, 9], rows = 11
        for ranks in 1...8 {
            let shares = (0..<ranks).map { Parallel.range($0, of: ranks, count: representatives.count) }
            let tiles = shares.map { Deduplicator.tile($0, representatives, rows: rows) }
            XCTAssertEqual(tiles.flatMap { Array($0) }, Array(0..<rows), "\(ranks) ranks")
            for (share, tile) in zip(shares, tiles) {
                XCTAssertTrue(share.allSatisfy { tile.contains(representatives[$0]) }, "\(ranks) ranks")
            }
        }
        let table = [["a b", "c"], ["d", ""], ["e", "f g"], ["h", "i"]]
        let records = NormalizedRecords(rows: table, fields: [0, 1], normalizer: try AddressNormalizer())
        let tile = records.rows(1..<3)
        XCTAssertEqual(tile.count, 2)
        XCTAssertEqual((0..<2).map { [tile.text($0, 0), tile.text($0, 1)] }, (1..<3).map { [records.text($0, 0), records.text($0, 1)] })
    }

    /// The ranks' tiles gathered are the records (the row starts rebuilt from the field ends).
    func testGatheredTilesAreTheRecords() throws {
        let table = (0..<50).map { ["\($0) high st", $0 % 7 == 0 ? "" : "flat \($0 % 5)", $0 % 9 == 0 ? "" : "springfield"] }
        let records = NormalizedRecords(rows: table, fields: [0, 1, 2], normalizer: try AddressNormalizer())
        for ranks in [2, 3] {
            let gathered = ThreadedCommunicator.run(ranks: ranks) { communicator in
                NormalizedRecords.allgather(records.rows(Parallel.range(communicator.rank, of: ranks, count: records.count)), communicator)
            }
            for result in gathered {
                XCTAssertEqual(result.bytes, records.bytes, "\(ranks) ranks")
                XCTAssertEqual(result.rowStarts, records.rowStarts, "\(ranks) ranks")
                XCTAssertEqual(result.fieldEnds, records.fieldEnds, "\(ranks) ranks")
            }
        }
    }

    /// glibc accepts both allocator settings of the N-rank run (a wrong parameter number is refused).
    func testKeepFreedMemoryIsAcceptedByGlibc() throws {
        let accepted = Deduplicator.keepFreedMemory()
        try XCTSkipIf(accepted == nil, "the allocator is not glibc's (AddressSanitizer's): nothing to check")
        XCTAssertEqual(accepted, true)
    }

    /// While `fromHeapOnly` runs, a large block comes from the heap; after it, glibc maps such a
    /// block on its own again (counted by mallinfo2's mapped blocks); and it returns its body's
    /// value. The block is 40 MB more than the heap has free, so that the heap cannot serve it.
    func testFromHeapOnlyMapsNoBlockWhileItRunsAndMapsThemAfter() throws {
        var heapFree: Int64 = 0
        try XCTSkipIf(glossa_mapped_blocks(&heapFree) < 0, "the allocator is not glibc's (AddressSanitizer's): nothing to check")
        /// The mapped blocks while a large block is held, minus before it.
        func mappedByLargeBlock() -> Int64 {
            let before = glossa_mapped_blocks(&heapFree)
            let block = UnsafeMutableRawPointer.allocate(byteCount: Int(heapFree) + 40 << 20, alignment: 16)
            defer { block.deallocate() }
            return glossa_mapped_blocks(&heapFree) - before
        }
        XCTAssertEqual(Deduplicator.fromHeapOnly { mappedByLargeBlock() }, 0)
        XCTAssertEqual(mappedByLargeBlock(), 1)
        XCTAssertEqual(Deduplicator.mapLargeBlocks(true), true)
    }
}
