import TextProcessing
import XCTest

/// The batchify / get_batch layout of pytorch/examples word_language_model.
final class LanguageModelBatchesTests: XCTestCase {
    func testColumnsAndChunksFollowTheDiagram() {
        // a…x as 0…23, B = 4 columns of L = 6, T = 2.
        let batches = LanguageModelBatches(stream: Array(0..<24), batchSize: 4, bptt: 2)
        XCTAssertEqual(batches.columnLength, 6)
        XCTAssertEqual(Array(batches.data.prefix(8)), [0, 6, 12, 18, 1, 7, 13, 19])
        XCTAssertEqual(batches.count, 3)
        XCTAssertEqual(batches.tokenCount, 20)
        let first = batches.chunk(0)
        XCTAssertEqual(first.length, 2)
        XCTAssertEqual(first.input, [0, 6, 12, 18, 1, 7, 13, 19])
        XCTAssertEqual(first.target, [1, 7, 13, 19, 2, 8, 14, 20])
        let last = batches.chunk(2)
        XCTAssertEqual(last.length, 1, "the last chunk is shorter: L − 1 = 5 steps, T = 2")
        XCTAssertEqual(last.input, [4, 10, 16, 22])
        XCTAssertEqual(last.target, [5, 11, 17, 23])
        XCTAssertEqual(batches.map(\.tokenCount).reduce(0, +), batches.tokenCount)
    }

    func testTailThatDoesNotFillARowIsDropped() {
        let batches = LanguageModelBatches(stream: Array(0..<27), batchSize: 4, bptt: 10)
        XCTAssertEqual(batches.columnLength, 6)
        XCTAssertEqual(Set(batches.data), Set(0..<24))
    }

    func testEveryTargetFollowsItsInputInTheStream() {
        let stream: [Int32] = (0..<103).map { Int32(($0 * 7919) % 101) }
        let batches = LanguageModelBatches(stream: stream, batchSize: 3, bptt: 4)
        let length = stream.count / 3
        for (index, chunk) in batches.enumerated() {
            for t in 0..<chunk.length {
                for b in 0..<3 {
                    let position = b * length + index * 4 + t
                    XCTAssertEqual(chunk.input[t * 3 + b], stream[position])
                    XCTAssertEqual(chunk.target[t * 3 + b], stream[position + 1])
                }
            }
        }
    }

    func testStreamTooShortForOneStepHasNoChunks() {
        XCTAssertEqual(LanguageModelBatches(stream: [1, 2, 3], batchSize: 2, bptt: 5).count, 0)
        XCTAssertEqual(LanguageModelBatches(stream: [1, 2], batchSize: 1, bptt: 5).count, 1)
    }
}
