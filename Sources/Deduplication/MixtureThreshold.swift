import Foundation

/// A match threshold set without labels by a two-component Gaussian mixture over the pair scores:
/// EM (`GaussianMixture`, k = 2, one dimension) fits the log-odds of every scored pair as
/// "non-matches" (the lower mean) plus "matches" (the higher), and the threshold is the log-odds
/// where the two components are equally probable, between the two means. The Fellegi–Sunter
/// posterior threshold (log-odds 0, probability 0.5) asks the pair model itself; this asks only the
/// shape of the score distribution (README, "Deduplication", compares the two).
public struct MixtureThreshold: Sendable {
    /// The fitted log-odds threshold, and the components' means and weights (lower mean first).
    public let logOdds: Double
    public let means: (Double, Double)
    public let weights: (Double, Double)

    /// The most scores a fit looks at: more pairs are sampled evenly (every k-th), so the fit's time
    /// and memory stay bounded (two Gaussians' means and variances need far fewer points).
    public static let maxScores = 4_000_000

    /// Fits the scores of pairs 0..<count (`score(i)`: log-odds of pair i), at most `maxScores` of
    /// them evenly spaced (looked up on all cores).
    public init?(pairs count: Int, seed: UInt64 = 0, score: (Int) -> Double) {
        let step = max(1, (count + MixtureThreshold.maxScores - 1) / MixtureThreshold.maxScores)
        let n = (count + step - 1) / step
        let scores = [Double](unsafeUninitializedCapacity: n) { scores, written in
            _ = Parallel.mapChunks(count: n, chunks: Parallel.chunks(n, itemsPerChunk: 1 << 16, perCore: 4)) { range in
                for i in range { scores[i] = score(i * step) }
            }
            written = n
        }
        self.init(scores: scores, seed: seed)
    }

    /// Fits `scores` (log-odds of the scored pairs); nil when there are fewer than 10 scores or
    /// the two components do not separate.
    public init?(scores: [Double], seed: UInt64 = 0) {
        guard scores.count >= 10 else { return nil }
        let model = GaussianMixture(k: 2, maxIterations: 200, seed: seed).fit(scores, dimension: 1)
        guard model.k == 2 else { return nil }
        let (low, high) = model.means[0] <= model.means[1] ? (0, 1) : (1, 0)
        means = (model.means[low], model.means[high])
        weights = (model.weights[low], model.weights[high])
        guard means.1 - means.0 > 1e-6 else { return nil }
        /// log π_c N(x; μ_c, σ²_c).
        func logDensity(_ c: Int, _ x: Double) -> Double {
            let v = model.variances[c], e = x - model.means[c]
            return log(model.weights[c]) - 0.5 * (log(2 * Double.pi * v) + e * e / v)
        }
        // Bisection on [μ_low, μ_high] for where the high component's share crosses 1/2.
        var a = means.0, b = means.1
        if logDensity(high, a) >= logDensity(low, a) { logOdds = a; return }
        if logDensity(high, b) <= logDensity(low, b) { logOdds = b; return }
        for _ in 0..<100 {
            let m = (a + b) / 2
            if logDensity(high, m) > logDensity(low, m) { b = m } else { a = m }
        }
        logOdds = (a + b) / 2
    }

    /// The threshold as a posterior match probability under the pair model.
    public var probability: Double { 1 / (1 + exp(-logOdds)) }
}
