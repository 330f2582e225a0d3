import XCTest
@testable import Deduplication

final class FellegiSunterModelTests: XCTestCase {
    /// Patterns drawn from a known model: 3 fields, 3 levels, 10% matches, 5% missing values.
    func testEMRecoversKnownParametersAndRaisesTheLikelihood() {
        let m: [[Double]] = [[0.8, 0.15, 0.05], [0.7, 0.2, 0.1], [0.9, 0.05, 0.05]]
        let u: [[Double]] = [[0.05, 0.15, 0.8], [0.1, 0.2, 0.7], [0.02, 0.08, 0.9]]
        var generator = SplitMix64(seed: 3)
        func draw(_ p: [Double]) -> UInt8 {
            var r = generator.nextUnit()
            for (level, q) in p.enumerated() { r -= q; if r < 0 { return UInt8(level) } }
            return UInt8(p.count - 1)
        }
        var counts: [[UInt8]: Double] = [:]
        for _ in 0..<40_000 {
            let match = generator.nextUnit() < 0.1
            let pattern = (0..<3).map { f -> UInt8 in generator.nextUnit() < 0.05 ? 3 : draw(match ? m[f] : u[f]) }
            counts[pattern, default: 0] += 1
        }
        var model = FellegiSunterModel(fields: 3, levels: 3)
        let patterns = Array(counts.keys)
        model.fit(patterns: patterns, counts: patterns.map { counts[$0]! }, tolerance: 0)
        XCTAssertGreaterThan(model.history.count, 5)
        for (before, after) in zip(model.history, model.history.dropFirst()) { XCTAssertGreaterThanOrEqual(after, before - 1e-9 * abs(before)) }
        XCTAssertEqual(model.matchPrior, 0.1, accuracy: 0.01)
        for f in 0..<3 {
            for l in 0..<3 {
                XCTAssertEqual(model.m[f][l], m[f][l], accuracy: 0.03)
                XCTAssertEqual(model.u[f][l], u[f][l], accuracy: 0.01)
            }
        }
        XCTAssertGreaterThan(model.logOdds([0, 0, 0]), 5)
        XCTAssertLessThan(model.logOdds([2, 2, 2]), -5)
        XCTAssertEqual(model.logOdds([3, 3, 3]), log(0.1 / 0.9), accuracy: 0.15, "missing fields say nothing")
    }

    /// Three kinds of pairs, as on a street of shared buildings: 5% duplicates (every field agrees),
    /// 45% neighbours (address and phone agree, the name does not), 50% unrelated. Two classes
    /// take the neighbours for matches; three give them a class of their own, which is not a match
    /// class because its names disagree in most pairs.
    func testThreeClassesKeepNeighboursApartFromDuplicates() {
        let profiles: [(share: Double, levels: [[Double]])] = [
            (0.05, [[0.8, 0.15, 0.05], [0.85, 0.1, 0.05], [0.8, 0.15, 0.05]]),
            (0.45, [[0.01, 0.04, 0.95], [0.9, 0.08, 0.02], [0.6, 0.2, 0.2]]),
            (0.50, [[0.02, 0.08, 0.9], [0.02, 0.08, 0.9], [0.01, 0.04, 0.95]]),
        ]
        var generator = SplitMix64(seed: 11)
        var counts: [[UInt8]: Double] = [:]
        for _ in 0..<40_000 {
            var r = generator.nextUnit()
            let kind = profiles.firstIndex { r -= $0.share; return r < 0 } ?? 2
            let pattern = profiles[kind].levels.map { p -> UInt8 in
                var r = generator.nextUnit()
                return UInt8(p.firstIndex { r -= $0; return r < 0 } ?? 2)
            }
            counts[pattern, default: 0] += 1
        }
        let patterns = counts.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var two = FellegiSunterModel(fields: 3, levels: 3, classes: 2), three = FellegiSunterModel(fields: 3, levels: 3, classes: 3)
        two.fit(patterns: patterns, counts: patterns.map { counts[$0]! })
        three.fit(patterns: patterns, counts: patterns.map { counts[$0]! })
        XCTAssertGreaterThan(two.logOdds([2, 0, 0]), 0, "two classes: a neighbour is a match (the failure three classes fix)")
        XCTAssertEqual(three.isMatch, [true, false, false])
        XCTAssertLessThan(three.logOdds([2, 0, 0]), -2, "a neighbour")
        XCTAssertGreaterThan(three.logOdds([0, 0, 0]), 1, "a duplicate")
        XCTAssertEqual(three.matchPrior, 0.05, accuracy: 0.01)
        for (before, after) in zip(three.history, three.history.dropFirst()) { XCTAssertGreaterThanOrEqual(after, before - 1e-9 * abs(before)) }
    }
}
