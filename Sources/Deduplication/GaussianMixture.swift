import Foundation

/// A mixture of k Gaussians with diagonal covariances fitted by EM, maximizing
/// Σ_i log Σ_c π_c N(x_i; μ_c, diag σ²_c). Means start from k-means++ seeds, variances from the
/// data's; every EM iteration raises the log-likelihood or leaves it unchanged (a small variance floor
/// keeps components from collapsing onto one point). E-steps run on all cores.
public struct GaussianMixture: Sendable {
    public var k: Int
    public var maxIterations: Int
    public var tolerance: Double
    /// The smallest variance per dimension, as a fraction of the data's mean variance.
    public var varianceFloor: Double
    public var seed: UInt64

    public init(k: Int, maxIterations: Int = 100, tolerance: Double = 1e-6, varianceFloor: Double = 1e-3, seed: UInt64 = 0) {
        precondition(k >= 1, "k ≥ 1")
        self.k = k
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.varianceFloor = varianceFloor
        self.seed = seed
    }

    /// A fitted mixture.
    public struct Model: Sendable {
        public let k: Int, dimension: Int
        /// π, (k).
        public var weights: [Double]
        /// μ, (k, d) row-major.
        public var means: [Double]
        /// σ², (k, d) row-major.
        public var variances: [Double]
        /// The log-likelihood after each E-step; never decreasing.
        public var history: [Double]
        /// The most probable component of each fitted point, (n).
        public var assignments: [Int]
    }

    /// Fits the mixture to the n points `x` (n, d) row-major.
    public func fit(_ x: [Double], dimension d: Int) -> Model {
        let n = x.count / d
        precondition(n >= 1 && x.count == n * d, "x is (n, d)")
        let k = min(self.k, n)
        var generator = SplitMix64(seed: seed)
        // Data variance (for the start and the floor).
        var mean = [Double](repeating: 0, count: d), variance = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x[i * d + j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        for i in 0..<n { for j in 0..<d { let e = x[i * d + j] - mean[j]; variance[j] += e * e } }
        for j in 0..<d { variance[j] = variance[j] / Double(n) }
        let floor = max(varianceFloor * variance.reduce(0, +) / Double(d), 1e-12)
        // k-means++ seeds for the means.
        var centers = [Int(generator.next() % UInt64(n))]
        var nearest = [Double](repeating: .infinity, count: n)
        while centers.count < k {
            let c = centers.last!
            var total = 0.0
            for i in 0..<n {
                var s = 0.0
                for j in 0..<d { let e = x[i * d + j] - x[c * d + j]; s += e * e }
                nearest[i] = min(nearest[i], s)
                total += nearest[i]
            }
            if total <= 0 { break }
            var target = generator.nextUnit() * total, chosen = n - 1
            for i in 0..<n { target -= nearest[i]; if target < 0 && nearest[i] > 0 { chosen = i; break } }
            centers.append(chosen)
        }
        let kk = centers.count
        var model = Model(k: kk, dimension: d, weights: Array(repeating: 1 / Double(kk), count: kk),
                          means: centers.flatMap { Array(x[($0 * d)..<($0 * d + d)]) },
                          variances: (0..<kk).flatMap { _ in variance.map { max($0, floor) } },
                          history: [], assignments: Array(repeating: 0, count: n))
        var responsibilities = [Double](repeating: 0, count: n * kk)
        for _ in 0...maxIterations {
            let logLikelihood = eStep(x, n: n, model: model, responsibilities: &responsibilities)
            if let last = model.history.last, logLikelihood - last < tolerance * Double(n) {
                model.history.append(logLikelihood)
                break
            }
            model.history.append(logLikelihood)
            if model.history.count > maxIterations { break }
            // M-step, one component per task on all cores (each sum in point order, as in one pass).
            let updates = mStep(x, n: n, d: d, responsibilities: responsibilities, components: kk)
            for c in 0..<kk {
                guard let update = updates[c] else { continue }  // an emptied component keeps its parameters
                model.weights[c] = update.mass / Double(n)
                for j in 0..<d {
                    model.means[c * d + j] = update.mean[j]
                    model.variances[c * d + j] = max(update.sigma[j] / update.mass, floor)
                }
            }
            let total = model.weights.reduce(0, +)
            model.weights = model.weights.map { $0 / total }
        }
        for i in 0..<n {
            var best = 0
            for c in 1..<kk where responsibilities[i * kk + c] > responsibilities[i * kk + best] { best = c }
            model.assignments[i] = best
        }
        return model
    }

    /// Each component's responsibility mass Σ_i r_ic, mean μ_c (d) and weighted squared deviations
    /// Σ_i r_ic (x_i − μ_c)² (d) from `responsibilities` (n, k); nil for a component whose mass is
    /// (nearly) 0. The components run on all cores, each summing over the points in order.
    func mStep(_ x: [Double], n: Int, d: Int, responsibilities: [Double], components k: Int) -> [(mass: Double, mean: [Double], sigma: [Double])?] {
        x.withUnsafeBufferPointer { x in
        responsibilities.withUnsafeBufferPointer { r in
            Parallel.map(k) { c in
                var mass = 0.0
                var mu = [Double](repeating: 0, count: d)
                for i in 0..<n {
                    let w = r[i * k + c]
                    mass += w
                    for j in 0..<d { mu[j] += w * x[i * d + j] }
                }
                guard mass > 1e-12 else { return nil }
                for j in 0..<d { mu[j] /= mass }
                var sigma = [Double](repeating: 0, count: d)
                for i in 0..<n {
                    let w = r[i * k + c]
                    for j in 0..<d { let e = x[i * d + j] - mu[j]; sigma[j] += w * e * e }
                }
                return (mass, mu, sigma)
            }
        }}
    }

    /// Writes P(c | x_i) into `responsibilities` (n, k); returns Σ_i log p(x_i).
    func eStep(_ x: [Double], n: Int, model: Model, responsibilities: inout [Double]) -> Double {
        let d = model.dimension, k = model.k
        var constants = [Double](repeating: 0, count: k)
        for c in 0..<k {
            var logDet = 0.0
            for j in 0..<d { logDet += log(model.variances[c * d + j]) }
            constants[c] = log(model.weights[c]) - 0.5 * (Double(d) * log(2 * Double.pi) + logDet)
        }
        let chunks = n * k * d < 100_000 ? 1 : Parallel.cores * 4
        let partial = responsibilities.withUnsafeMutableBufferPointer { r in
            Parallel.mapChunks(count: n, chunks: chunks) { range -> Double in
                var sum = 0.0
                for i in range {
                    var top = -Double.infinity
                    for c in 0..<k {
                        var q = 0.0
                        for j in 0..<d { let e = x[i * d + j] - model.means[c * d + j]; q += e * e / model.variances[c * d + j] }
                        let value = constants[c] - 0.5 * q
                        r[i * k + c] = value
                        top = max(top, value)
                    }
                    var total = 0.0
                    for c in 0..<k { let e = exp(r[i * k + c] - top); r[i * k + c] = e; total += e }
                    for c in 0..<k { r[i * k + c] /= total }
                    sum += top + log(total)
                }
                return sum
            }
        }
        return partial.reduce(0, +)
    }
}
