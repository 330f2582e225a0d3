import XCTest
@testable import Deduplication

final class KeptPairsTests: XCTestCase {
    /// Passes of pairs in any order with repeats, merged in chunks of 3: the sorted distinct pairs
    /// with their cosines, as one sort of everything gives them.
    func testMergedPassesAreTheSortedDistinctPairs() {
        var generator = SplitMix64(seed: 7)
        var kept = KeptPairs(chunkSize: 3)
        var expected: [PairKey: Float] = [:]
        for pass in 0..<5 {
            var keys: [Int64] = [], cosines: [Float] = []
            for _ in 0..<(pass == 2 ? 0 : 40) {
                let a = Int(generator.next() % 30), b = a + 1 + Int(generator.next() % 30)
                let pair = PairKey(a, b), cosine = Float(a * 100 + b) / 10_000  // a pair's cosine is the same wherever found
                keys.append(pair.wire)
                cosines.append(cosine)
                expected[pair] = cosine
            }
            kept.merge(keys: keys, cosines: cosines)
            XCTAssertEqual(kept.count, expected.count)
        }
        let candidates = kept.candidates(examined: 9)
        XCTAssertEqual(candidates.pairs, expected.keys.sorted())
        XCTAssertEqual(candidates.cosines, expected.keys.sorted().map { expected[$0]! })
        XCTAssertEqual(candidates.examined, 9)
    }

    func testNothingMergedIsNoPairs() {
        var kept = KeptPairs(chunkSize: 2)
        kept.merge(keys: [], cosines: [])
        XCTAssertEqual(kept.candidates(examined: 0).pairs, [])
    }
}
