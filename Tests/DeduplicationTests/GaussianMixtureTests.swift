import XCTest
@testable import Deduplication

final class GaussianMixtureTests: XCTestCase {
    func testLogLikelihoodNeverDecreasesAndMeansAreFound() {
        var generator = SplitMix64(seed: 11)
        var x: [Double] = []
        for i in 0..<400 {
            let (mx, my, s) = i < 250 ? (-3.0, 0.0, 0.5) : (4.0, 2.0, 1.0)
            x += [mx + s * generator.nextGaussian(), my + s * generator.nextGaussian()]
        }
        let model = GaussianMixture(k: 2, maxIterations: 200, tolerance: 0, seed: 2).fit(x, dimension: 2)
        XCTAssertGreaterThan(model.history.count, 3)
        for (before, after) in zip(model.history, model.history.dropFirst()) { XCTAssertGreaterThanOrEqual(after, before - 1e-9 * abs(before)) }
        let first = model.means[0] < model.means[2] ? 0 : 1, second = 1 - first
        XCTAssertEqual(model.means[first * 2], -3, accuracy: 0.2)
        XCTAssertEqual(model.means[second * 2], 4, accuracy: 0.3)
        XCTAssertEqual(model.weights[first], 250.0 / 400, accuracy: 0.03)
        XCTAssertEqual(model.variances[first * 2], 0.25, accuracy: 0.08)
        XCTAssertEqual(Set(model.assignments[0..<250]).count, 1)
    }

    /// The M-step's components on all cores give each component's sums as one pass over the
    /// points does, and the fit is the same to the bit on one thread and on all.
    func testMStepOnAllCoresEqualsOnePassAndThreadsDoNotMatter() {
        var generator = SplitMix64(seed: 4)
        let n = 3000, k = 3, d = 2
        let x = (0..<(n * d)).map { _ in 10 * generator.nextGaussian() }
        let r = (0..<(n * k)).map { _ in generator.nextUnit() }
        let updates = GaussianMixture(k: k).mStep(x, n: n, d: d, responsibilities: r, components: k)
        for c in 0..<k {
            var mass = 0.0, mu = [Double](repeating: 0, count: d), sigma = [Double](repeating: 0, count: d)
            for i in 0..<n { mass += r[i * k + c]; for j in 0..<d { mu[j] += r[i * k + c] * x[i * d + j] } }
            for j in 0..<d { mu[j] /= mass }
            for i in 0..<n { for j in 0..<d { let e = x[i * d + j] - mu[j]; sigma[j] += r[i * k + c] * e * e } }
            XCTAssertEqual(updates[c]?.mass, mass)
            XCTAssertEqual(updates[c]?.mean, mu)
            XCTAssertEqual(updates[c]?.sigma, sigma)
        }
        let mixture = GaussianMixture(k: 2, seed: 3)
        let points = (0..<200_000).map { i in (i % 3 == 0 ? 5.0 : -2.0) + generator.nextGaussian() }
        ThreadLimit.count = 1
        let one = mixture.fit(points, dimension: 1)
        ThreadLimit.count = nil
        let all = mixture.fit(points, dimension: 1)
        XCTAssertEqual(one.history, all.history)
        XCTAssertEqual(one.means, all.means)
        XCTAssertEqual(one.variances, all.variances)
        XCTAssertEqual(one.weights, all.weights)
    }

    func testSinglePointAndIdenticalPointsStayFinite() {
        let model = GaussianMixture(k: 3, seed: 1).fit(Array(repeating: 1.5, count: 20), dimension: 2)
        XCTAssertEqual(model.k, 1)
        XCTAssertTrue(model.history.allSatisfy { $0.isFinite })
    }
}

final class MixtureThresholdTests: XCTestCase {
    /// Scores from N(−10, 2²) (800 non-matches) and N(12, 3²) (200 matches): the threshold lies
    /// where π₀N(x; −10, 4) = π₁N(x; 12, 9), which for these parameters is near log-odds 1.4.
    func testTheThresholdIsWhereTheComponentsAreEquallyLikely() throws {
        var generator = SplitMix64(seed: 3)
        func normal() -> Double {
            let u = max(1e-12, Double(generator.next() % 1_000_000) / 1_000_000), v = Double(generator.next() % 1_000_000) / 1_000_000
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        let scores = (0..<800).map { _ in -10 + 2 * normal() } + (0..<200).map { _ in 12 + 3 * normal() }
        let mixture = try XCTUnwrap(MixtureThreshold(scores: scores))
        XCTAssertEqual(mixture.means.0, -10, accuracy: 0.5)
        XCTAssertEqual(mixture.means.1, 12, accuracy: 0.8)
        XCTAssertEqual(mixture.weights.1, 0.2, accuracy: 0.03)
        XCTAssertGreaterThan(mixture.logOdds, -3)
        XCTAssertLessThan(mixture.logOdds, 5)
        XCTAssertNil(MixtureThreshold(scores: [1, 2, 3]))
    }
}
