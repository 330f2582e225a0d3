import XCTest
@testable import Deduplication
import TestSupport

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

/// The EM sums on one thread, on all cores and on 2 and 3 ranks, and the fit against the plain
/// loops it replaced.
final class EMSumsTests: XCTestCase {
    /// 3000 distinct patterns of 5 fields, 4 levels and a missing code, counts 1…50.
    func randomPatterns(seed: UInt64) -> (patterns: [[UInt8]], counts: [Double]) {
        var generator = SplitMix64(seed: seed)
        var seen = Set<[UInt8]>()
        while seen.count < 3000 { seen.insert((0..<5).map { _ in UInt8(generator.next() % 5) }) }
        let patterns = seen.sorted { $0.lexicographicallyPrecedes($1) }
        return (patterns, patterns.map { _ in Double(1 + generator.next() % 50) })
    }

    func testThreadsAndRanksGiveTheSameSumsToTheBit() {
        let (patterns, counts) = randomPatterns(seed: 5)
        let observed = ObservedLevels(patterns, fields: 5, levels: 4)
        var generator = SplitMix64(seed: 9)
        let logTheta = (0..<(3 * 5 * 4)).map { _ in log(0.05 + generator.nextUnit()) }
        let logPriors = [log(0.1), log(0.3), log(0.6)]
        let sums = { (threads: Int?) -> EMSums in
            ThreadLimit.count = threads
            defer { ThreadLimit.count = nil }
            return EMSums(observed, counts: counts, logTheta: logTheta, logPriors: logPriors)
        }
        let serial = sums(1)
        var runs = [("all cores", sums(nil))]
        for ranks in [2, 3] {
            let results = ThreadedCommunicator.run(ranks: ranks) { communicator in
                EMSums(observed, counts: counts, logTheta: logTheta, logPriors: logPriors, communicator: communicator)
            }
            runs += results.enumerated().map { ("rank \($0.offset) of \(ranks)", $0.element) }
        }
        XCTAssertGreaterThan(patterns.count, 4 * EMSums.chunkPatterns, "several chunks, so that ranks share them")
        for (name, run) in runs {
            XCTAssertEqual(run.mass, serial.mass, name)
            XCTAssertEqual(run.levelCounts, serial.levelCounts, name)
            XCTAssertEqual(run.logLikelihood, serial.logLikelihood, name)
        }
        XCTAssertEqual(serial.mass.reduce(0, +), counts.reduce(0, +), accuracy: 1e-9 * counts.reduce(0, +))
    }

    /// The chunked sums change only the order of the additions: the fit follows the plain loops to
    /// within rounding, and is the same to the bit on one thread, on all cores and on 2 ranks.
    func testFitFollowsThePlainLoopsAndIsTheSameOnThreadsAndRanks() {
        let (patterns, counts) = randomPatterns(seed: 7)
        let expected = EMSumsTests.plainFit(patterns: patterns, counts: counts, fields: 5, levels: 4, classes: 3, maxIterations: 60)
        var fits: [(String, FellegiSunterModel)] = []
        for threads in [1, nil] {
            ThreadLimit.count = threads
            defer { ThreadLimit.count = nil }
            var model = FellegiSunterModel(fields: 5, levels: 4, classes: 3)
            model.fit(patterns: patterns, counts: counts, maxIterations: 60)
            fits.append(("threads \(threads ?? 0)", model))
        }
        let ranks = ThreadedCommunicator.run(ranks: 2) { communicator in
            var model = FellegiSunterModel(fields: 5, levels: 4, classes: 3)
            model.fit(patterns: patterns, counts: counts, maxIterations: 60, communicator: communicator)
            return model
        }
        fits += ranks.enumerated().map { ("rank \($0.offset) of 2", $0.element) }
        let first = fits[0].1
        XCTAssertEqual(first.history.count, expected.history.count)
        for (got, want) in zip(first.history, expected.history) { XCTAssertEqual(got, want, accuracy: 1e-12 * abs(want)) }
        for (got, want) in zip(first.priors, expected.priors) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        for (got, want) in zip(first.probabilities.joined().joined(), expected.probabilities.joined().joined()) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        for (name, model) in fits {
            XCTAssertEqual(model.history, first.history, name)
            XCTAssertEqual(model.priors, first.priors, name)
            XCTAssertEqual(model.probabilities, first.probabilities, name)
        }
    }

    /// The fit as first written (E-step over all patterns, then the M-step's sums), from
    /// `FellegiSunterModel`'s starting point: the oracle of the faster sums.
    static func plainFit(patterns: [[UInt8]], counts: [Double], fields F: Int, levels L: Int, classes K: Int,
                         maxIterations: Int) -> (history: [Double], priors: [Double], probabilities: [[[Double]]]) {
        let start = FellegiSunterModel(fields: F, levels: L, classes: K)
        var priors = start.priors, probabilities = start.probabilities, history: [Double] = []
        let total = counts.reduce(0, +)
        var previous = -Double.infinity
        for _ in 0..<maxIterations {
            var logLikelihood = 0.0
            var posterior = [Double](repeating: 0, count: patterns.count * K)
            for (index, pattern) in patterns.enumerated() {
                var joint = [Double](repeating: 0, count: K), top = -Double.infinity
                for k in 0..<K {
                    var sum = log(priors[k])
                    for f in 0..<F where Int(pattern[f]) < L { sum += log(probabilities[k][f][Int(pattern[f])]) }
                    joint[k] = sum
                    top = max(top, sum)
                }
                var evidence = 0.0
                for k in 0..<K { evidence += exp(joint[k] - top) }
                let logEvidence = top + log(evidence)
                logLikelihood += counts[index] * logEvidence
                for k in 0..<K { posterior[index * K + k] = exp(joint[k] - logEvidence) }
            }
            history.append(logLikelihood)
            if logLikelihood - previous < 1e-9 * total { break }
            previous = logLikelihood
            var mass = [Double](repeating: 0, count: K)
            var levelCounts = [Double](repeating: 1e-9, count: K * F * L)
            for (index, pattern) in patterns.enumerated() {
                for k in 0..<K {
                    let g = posterior[index * K + k] * counts[index]
                    mass[k] += g
                    for f in 0..<F where Int(pattern[f]) < L { levelCounts[(k * F + f) * L + Int(pattern[f])] += g }
                }
            }
            priors = mass.map { min(max($0 / total, 1e-9), 1 - 1e-9) }
            probabilities = (0..<K).map { k in
                (0..<F).map { f in
                    let row = levelCounts[((k * F + f) * L)..<((k * F + f + 1) * L)]
                    let sum = row.reduce(0, +)
                    return row.map { $0 / sum }
                }
            }
        }
        return (history, priors, probabilities)
    }
}
