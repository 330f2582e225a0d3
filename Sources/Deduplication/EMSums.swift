import Foundation
import MessagePassing

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
///
/// The patterns are summed in fixed chunks of `chunkPatterns`, whatever the threads or ranks: each
/// chunk's sums pattern after pattern, then the chunks' sums in chunk order, so the result is the
/// same to the bit on any number of threads and ranks. On N ranks (a collective call) each rank
/// sums a consecutive 1/N of the chunks (on its cores) and the chunks' sums are allgathered: 1 KB
/// a chunk, about 32 chunks at 1M rows.
struct EMSums {
    /// Σ_i count_i · P(k | i), (K).
    var mass: [Double]
    /// Σ_i count_i · P(k | i) over the patterns with level l on field f, plus 1e-9, (K, F, L).
    var levelCounts: [Double]
    /// Σ_i count_i · log p(pattern i).
    var logLikelihood = 0.0

    /// The patterns of a chunk, fixed so that the sums do not depend on threads or ranks.
    static let chunkPatterns = 512

    /// The sums under log θ `logTheta` (K, F, L) and log π `logPriors` (K).
    init(_ observed: ObservedLevels, counts: [Double], logTheta: [Double], logPriors: [Double],
         communicator: any Communicator = SingleProcessCommunicator()) {
        let K = logPriors.count, table = logTheta.count / K
        let chunks = (observed.count + EMSums.chunkPatterns - 1) / EMSums.chunkPatterns
        let mine = Parallel.range(communicator.rank, of: communicator.size, count: chunks)
        let sums = Parallel.map(mine.count) { i in
            let first = (mine.lowerBound + i) * EMSums.chunkPatterns
            return EMSums.chunk(first..<min(observed.count, first + EMSums.chunkPatterns), observed, counts, logTheta, logPriors)
        }
        let all = communicator.allgatherConcatenated(sums.flatMap { $0 }).values
        // A chunk's sums: mass (K), level counts (K · table), log-likelihood (1).
        let width = K + K * table + 1
        var mass = [Double](repeating: 0, count: K)
        var levelCounts = [Double](repeating: 1e-9, count: K * table)
        var logLikelihood = 0.0
        for base in stride(from: 0, to: all.count, by: width) {
            for k in 0..<K { mass[k] += all[base + k] }
            for i in 0..<(K * table) { levelCounts[i] += all[base + K + i] }
            logLikelihood += all[base + width - 1]
        }
        self.mass = mass
        self.levelCounts = levelCounts
        self.logLikelihood = logLikelihood
    }

    /// The sums of patterns `range`, pattern after pattern, from zero: mass (K), level counts
    /// (K · table), log-likelihood (1).
    static func chunk(_ range: Range<Int>, _ observed: ObservedLevels, _ counts: [Double], _ logTheta: [Double], _ logPriors: [Double]) -> [Double] {
        let K = logPriors.count, table = logTheta.count / K
        var sums = [Double](repeating: 0, count: K + K * table + 1)
        var g = [Double](repeating: 0, count: K)
        observed.offsets.withUnsafeBufferPointer { offsets in
        observed.starts.withUnsafeBufferPointer { starts in
        logTheta.withUnsafeBufferPointer { logTheta in
        sums.withUnsafeMutableBufferPointer { sums in
            var logLikelihood = 0.0
            for index in range {
                logLikelihood += EMSums.posteriors(index, counts[index], offsets, starts, logTheta, logPriors, into: &g)
                for k in 0..<K {
                    sums[k] += g[k]
                    let levelCounts = sums.baseAddress! + K + k * table
                    for p in starts[index]..<starts[index + 1] { levelCounts[Int(offsets[p])] += g[k] }
                }
            }
            sums[K + K * table] = logLikelihood
        }}}}
        return sums
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
