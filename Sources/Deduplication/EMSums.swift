import Foundation

/// The observed (not missing) fields of each of P level patterns, as offsets f·L + level into one
/// class's (F, L) table of θ, ascending in f: pattern i's are `offsets[starts[i]..<starts[i + 1]]`.
struct ObservedLevels {
    let count: Int
    let offsets: [Int32]
    /// (P + 1).
    let starts: [Int]

    /// The observed fields of `patterns` (each F codes; code L or more means missing).
    init(_ patterns: [[UInt8]], fields F: Int, levels L: Int) {
        var offsets: [Int32] = [], starts = [0]
        offsets.reserveCapacity(patterns.count * F)
        starts.reserveCapacity(patterns.count + 1)
        for pattern in patterns {
            for f in 0..<F where Int(pattern[f]) < L { offsets.append(Int32(f * L + Int(pattern[f]))) }
            starts.append(offsets.count)
        }
        count = patterns.count
        self.offsets = offsets
        self.starts = starts
    }
}

/// The sums of one EM iteration of `FellegiSunterModel` over distinct patterns seen `counts` times:
/// the E-step's posteriors P(class k | pattern) weighted by the counts, summed per class (`mass`)
/// and per class, field and level (`levelCounts`, from a floor of 1e-9), and the log-likelihood.
/// Every sum adds pattern after pattern in pattern order, whether in one pass or on all cores
/// (posteriors of chunks of patterns first, then each class's sums), so the result is the same to
/// the bit for any number of threads.
struct EMSums {
    /// Σ_i count_i · P(k | i), (K).
    var mass: [Double]
    /// Σ_i count_i · P(k | i) over the patterns with level l on field f, plus 1e-9, (K, F, L).
    var levelCounts: [Double]
    /// Σ_i count_i · log p(pattern i).
    var logLikelihood = 0.0

    /// Patterns below this are summed in one pass (a parallel iteration costs two dispatches).
    static let minParallelPatterns = 1024

    /// The sums under log θ `logTheta` (K, F, L) and log π `logPriors` (K).
    init(_ observed: ObservedLevels, counts: [Double], logTheta: [Double], logPriors: [Double],
         parallel: Bool = Parallel.workers > 1) {
        let K = logPriors.count, table = logTheta.count / K, P = observed.count
        var mass = [Double](repeating: 0, count: K)
        var levelCounts = [Double](repeating: 1e-9, count: logTheta.count)
        var logLikelihood = 0.0
        observed.offsets.withUnsafeBufferPointer { offsets in
        observed.starts.withUnsafeBufferPointer { starts in
        logTheta.withUnsafeBufferPointer { logTheta in
        levelCounts.withUnsafeMutableBufferPointer { levelCounts in
            /// Adds weight `g` of pattern `index` to class `k`'s level counts.
            func add(_ g: Double, _ index: Int, _ k: Int) {
                let counts = levelCounts.baseAddress! + k * table
                for p in starts[index]..<starts[index + 1] { counts[Int(offsets[p])] += g }
            }
            if !parallel || P < EMSums.minParallelPatterns {
                var g = [Double](repeating: 0, count: K)
                for index in 0..<P {
                    logLikelihood += EMSums.posteriors(index, counts[index], offsets, starts, logTheta, logPriors, into: &g)
                    for k in 0..<K {
                        mass[k] += g[k]
                        add(g[k], index, k)
                    }
                }
                return
            }
            // The weighted posteriors (P, K) and log-likelihood terms (P), chunk by chunk.
            var weighted = [Double](repeating: 0, count: P * K), terms = [Double](repeating: 0, count: P)
            weighted.withUnsafeMutableBufferPointer { weighted in
            terms.withUnsafeMutableBufferPointer { terms in
                _ = Parallel.mapChunks(count: P, chunks: Parallel.cores * 4) { range in
                    var g = [Double](repeating: 0, count: K)
                    for index in range {
                        terms[index] = EMSums.posteriors(index, counts[index], offsets, starts, logTheta, logPriors, into: &g)
                        for k in 0..<K { weighted[index * K + k] = g[k] }
                    }
                }
            }}
            // Then each class's sums (and the log-likelihood) on its own, in pattern order.
            let sums = Parallel.map(K + 1) { k -> Double in
                var sum = 0.0
                if k == K {
                    for index in 0..<P { sum += terms[index] }
                } else {
                    for index in 0..<P {
                        sum += weighted[index * K + k]
                        add(weighted[index * K + k], index, k)
                    }
                }
                return sum
            }
            mass = Array(sums[..<K])
            logLikelihood = sums[K]
        }}}}
        self.mass = mass
        self.levelCounts = levelCounts
        self.logLikelihood = logLikelihood
    }

    /// The E-step of pattern `index`, seen `count` times: writes count · P(class k | pattern) into
    /// `g` (K) and returns count · log p(pattern).
    @inline(__always)
    static func posteriors(_ index: Int, _ count: Double, _ offsets: UnsafeBufferPointer<Int32>, _ starts: UnsafeBufferPointer<Int>,
                           _ logTheta: UnsafeBufferPointer<Double>, _ logPriors: [Double], into g: inout [Double]) -> Double {
        let K = logPriors.count, table = logTheta.count / K
        // log P(pattern, k), fields in ascending order.
        var top = -Double.infinity
        for k in 0..<K {
            let logThetaK = logTheta.baseAddress! + k * table
            var sum = logPriors[k]
            for p in starts[index]..<starts[index + 1] { sum += logThetaK[Int(offsets[p])] }
            g[k] = sum
            top = max(top, sum)
        }
        var evidence = 0.0
        for k in 0..<K { evidence += g[k] == top ? 1 : exp(g[k] - top) }  // exp(0) is 1
        let logEvidence = top + log(evidence)
        for k in 0..<K { g[k] = exp(g[k] - logEvidence) * count }
        return count * logEvidence
    }
}
