import TextProcessing
import XCTest

final class SentenceBatchesTests: XCTestCase {
    func testBatchLayout() {
        let batch = SentenceBatch(pairs: [([7, 8], [9]), ([5], [6, 6, 6])], pad: 0, bos: 2, eos: 3)
        XCTAssertEqual(batch.sourceLength, 3)
        XCTAssertEqual(batch.targetLength, 4)
        XCTAssertEqual(batch.source, [7, 8, 3, 5, 3, 0])
        XCTAssertEqual(batch.sourceMask, [1, 1, 1, 1, 1, 0])
        XCTAssertEqual(batch.sourceLengths, [3, 2])
        XCTAssertEqual(batch.decoderInput, [2, 9, 0, 0, 2, 6, 6, 6])
        XCTAssertEqual(batch.target, [9, 3, 0, 0, 6, 6, 6, 3])
        XCTAssertEqual(batch.targetMask, [1, 1, 0, 0, 1, 1, 1, 1])
        XCTAssertEqual(batch.targetTokenCount, 6)
        XCTAssertEqual(SentenceBatch.timeMajor(batch.source, batch: 2, length: 3), [7, 5, 8, 3, 3, 0])
    }

    func testEveryPairOnceBucketedAndSeeded() {
        let pairs: [(source: [Int32], target: [Int32])] = (0..<200).map { i in
            (Array(repeating: Int32(4 + i % 7), count: 1 + (i * 37) % 23), Array(repeating: 5, count: 1 + (i * 11) % 17))
        }
        let a = SentenceBatches(pairs: pairs, batchSize: 16, pad: 0, bos: 2, eos: 3, seed: 42)
        let b = SentenceBatches(pairs: pairs, batchSize: 16, pad: 0, bos: 2, eos: 3, seed: 42)
        let c = SentenceBatches(pairs: pairs, batchSize: 16, pad: 0, bos: 2, eos: 3, seed: 43)
        XCTAssertEqual(a.groups, b.groups)
        XCTAssertNotEqual(a.groups, c.groups)
        XCTAssertEqual(a.groups.flatMap { $0 }.sorted(), Array(0..<200))
        XCTAssertTrue(a.groups.allSatisfy { $0.count <= 16 })
        // Sorted by length inside a pool: little padding.
        let padded = a.reduce(0) { $0 + $1.count * $1.sourceLength }
        let real = pairs.reduce(0) { $0 + $1.source.count + 1 }
        XCTAssertLessThan(Double(padded) / Double(real), 1.2)
    }

    func testTokenBudget() {
        let pairs: [(source: [Int32], target: [Int32])] = (0..<100).map { i in (Array(repeating: 4, count: 1 + i % 30), [5, 5]) }
        let batches = SentenceBatches(pairs: pairs, batchSize: 1000, tokenBudget: 120, pad: 0, bos: 2, eos: 3, seed: 1)
        XCTAssertEqual(batches.groups.flatMap { $0 }.sorted(), Array(0..<100))
        for batch in batches { XCTAssertTrue(batch.count == 1 || batch.count * max(batch.sourceLength, batch.targetLength) <= 120) }
    }
}
