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

    /// Fits as Splink trains its model, in sessions: for each field f, EM on the pairs that agree
    /// exactly on f, with f left out (inside such a session the match class cannot be "same f",
    /// which is what a single EM tends to find when many non-matches share a value, such as the
    /// businesses of one building); each field's m and u are the mean of the sessions that did not
    /// condition on it, then p is refitted by EM with m and u fixed. Sessions with fewer than
    /// `minimumPairs` pairs are skipped; a field no session estimated keeps the plain EM fit.
    public mutating func fitInSessions(patterns: [[UInt8]], counts: [Double], sessionFields: Range<Int>, minimumPairs: Double = 100) {
        fit(patterns: patterns, counts: counts)
        var mSum = [[Double]](repeating: [Double](repeating: 0, count: levels), count: fields), uSum = mSum
        var sessions = [Int](repeating: 0, count: fields)
        for f in sessionFields {
            var subset: [[UInt8]] = [], subsetCounts: [Double] = []
            for (pattern, count) in zip(patterns, counts) where pattern[f] == 0 {
                var masked = pattern
                masked[f] = UInt8(levels)
                subset.append(masked)
                subsetCounts.append(count)
            }
            guard subsetCounts.reduce(0, +) >= minimumPairs else { continue }
            var session = FellegiSunterModel(fields: fields, levels: levels)
            session.fit(patterns: subset, counts: subsetCounts)
            for g in 0..<fields where g != f {
                for l in 0..<levels { mSum[g][l] += session.m[g][l]; uSum[g][l] += session.u[g][l] }
                sessions[g] += 1
            }
        }
        for g in 0..<fields where sessions[g] > 0 {
            m[g] = mSum[g].map { $0 / Double(sessions[g]) }
            u[g] = uSum[g].map { $0 / Double(sessions[g]) }
        }
        fitPrior(patterns: patterns, counts: counts)
    }

    /// EM for p alone, m and u fixed.
    mutating func fitPrior(patterns: [[UInt8]], counts: [Double], iterations: Int = 100) {
        let total = counts.reduce(0, +)
        guard total > 0 else { return }
        for _ in 0..<iterations {
            var matchMass = 0.0
            for (index, pattern) in patterns.enumerated() {
                let (logMatch, logNon) = logJoint(pattern)
                matchMass += counts[index] / (1 + exp(logNon - logMatch))
            }
            let next = min(max(matchMass / total, 1e-9), 1 - 1e-9)
            if abs(next - matchPrior) < 1e-12 { break }
            matchPrior = next
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
