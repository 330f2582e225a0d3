import XCTest
@testable import Deduplication

final class CandidatePairsKeptTests: XCTestCase {
    /// Pairs in any order with repeats: the sorted distinct pairs with their cosines.
    func testKeptPairsAreTheSortedDistinctPairs() {
        var generator = SplitMix64(seed: 7)
        var keys: [Int64] = [], cosines: [Float] = []
        var expected: [PairKey: Float] = [:]
        for _ in 0..<200 {
            let a = Int(generator.next() % 30), b = a + 1 + Int(generator.next() % 30)
            let pair = PairKey(a, b), cosine = Float(a * 100 + b) / 10_000  // a pair's cosine is the same wherever found
            keys.append(pair.wire)
            cosines.append(cosine)
            expected[pair] = cosine
        }
        XCTAssertLessThan(expected.count, keys.count, "some pairs repeat")
        let candidates = CandidatePairs(kept: keys, cosines: cosines, examined: 9)
        XCTAssertEqual(candidates.pairs, expected.keys.sorted())
        XCTAssertEqual(candidates.cosines, expected.keys.sorted().map { expected[$0]! })
        XCTAssertEqual(candidates.examined, 9)
    }

    func testNothingKeptIsNoPairs() {
        XCTAssertEqual(CandidatePairs(kept: [], cosines: [], examined: 0).pairs, [])
    }
}
