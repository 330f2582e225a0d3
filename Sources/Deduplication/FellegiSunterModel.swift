import Foundation

/// The Fellegi–Sunter record-linkage model fitted without labels by EM: a pair is a match with
/// prior probability p; given its class, the fields' agreement levels are independent with
/// probabilities m[f][l] (matches) and u[f][l] (non-matches); a missing field is ignored. EM never
/// lowers the log-likelihood of the observed level patterns. A pair's log-odds
/// log P(match | levels) − log P(non-match | levels) is the signed similarity correlation clustering
/// works on: positive means the same entity.
public struct FellegiSunterModel: Sendable {
    public let fields: Int
    public let levels: Int
    /// p, the share of compared pairs that match.
    public private(set) var matchPrior: Double
    /// m[f][l] = P(level l on field f | match), (F, L).
    public private(set) var m: [[Double]]
    /// u[f][l] = P(level l on field f | non-match), (F, L).
    public private(set) var u: [[Double]]
    /// The log-likelihood after each EM iteration; never decreasing.
    public private(set) var history: [Double] = []

    /// Starts from "matches mostly agree, non-matches mostly disagree".
    public init(fields: Int, levels: Int) {
        precondition(levels >= 2, "at least agree / disagree")
        self.fields = fields
        self.levels = levels
        matchPrior = 0.05
        let mStart = (0..<levels).map { pow(0.25, Double($0)) }
        let uStart = (0..<levels).map { pow(0.25, Double(levels - 1 - $0)) }
        m = Array(repeating: mStart.map { $0 / mStart.reduce(0, +) }, count: fields)
        u = Array(repeating: uStart.map { $0 / uStart.reduce(0, +) }, count: fields)
    }

    /// Fits by EM to distinct level patterns (each `fields` codes, `levels` meaning missing) seen
    /// `counts` times. Stops when the log-likelihood gains less than `tolerance` per pair.
    public mutating func fit(patterns: [[UInt8]], counts: [Double], maxIterations: Int = 500, tolerance: Double = 1e-9) {
        let total = counts.reduce(0, +)
        guard total > 0 else { return }
        var posterior = [Double](repeating: 0, count: patterns.count)
        var previous = -Double.infinity
        for _ in 0..<maxIterations {
            // E-step: P(match | pattern) and the log-likelihood of the current parameters.
            var logLikelihood = 0.0
            for (index, pattern) in patterns.enumerated() {
                let (logMatch, logNon) = logJoint(pattern)
                let top = max(logMatch, logNon)
                let logEvidence = top + log(exp(logMatch - top) + exp(logNon - top))
                logLikelihood += counts[index] * logEvidence
                posterior[index] = exp(logMatch - logEvidence)
            }
            history.append(logLikelihood)
            if logLikelihood - previous < tolerance * total { break }
            previous = logLikelihood
            // M-step: weighted level frequencies per class (a tiny floor keeps logs finite).
            var matchMass = 0.0
            var mCounts = [[Double]](repeating: [Double](repeating: 1e-9, count: levels), count: fields)
            var uCounts = mCounts
            for (index, pattern) in patterns.enumerated() {
                let g = posterior[index] * counts[index], h = (1 - posterior[index]) * counts[index]
                matchMass += g
                for f in 0..<fields where Int(pattern[f]) < levels {
                    mCounts[f][Int(pattern[f])] += g
                    uCounts[f][Int(pattern[f])] += h
                }
            }
            matchPrior = min(max(matchMass / total, 1e-9), 1 - 1e-9)
            for f in 0..<fields {
                let mSum = mCounts[f].reduce(0, +), uSum = uCounts[f].reduce(0, +)
                m[f] = mCounts[f].map { $0 / mSum }
                u[f] = uCounts[f].map { $0 / uSum }
            }
        }
    }

    /// (log P(levels, match), log P(levels, non-match)).
    public func logJoint(_ pattern: [UInt8]) -> (Double, Double) {
        var logMatch = log(matchPrior), logNon = log(1 - matchPrior)
        for f in 0..<fields where Int(pattern[f]) < levels {
            logMatch += log(m[f][Int(pattern[f])])
            logNon += log(u[f][Int(pattern[f])])
        }
        return (logMatch, logNon)
    }

    /// log P(match | levels) − log P(non-match | levels).
    public func logOdds(_ pattern: [UInt8]) -> Double {
        let (a, b) = logJoint(pattern)
        return a - b
    }

    /// The evidence weight log(m/u) of level `level` on field `field`.
    public func weight(field: Int, level: Int) -> Double { log(m[field][level] / u[field][level]) }
}
