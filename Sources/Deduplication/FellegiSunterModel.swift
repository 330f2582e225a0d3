import Foundation
import MessagePassing

/// The Fellegi–Sunter record-linkage model fitted without labels by EM, as a latent-class model
/// with K classes: a pair belongs to class k with prior probability π_k; given its class, the
/// fields' agreement levels are independent with probabilities θ_k[f][l]; a missing field is
/// ignored. EM never lowers the log-likelihood of the observed level patterns.
///
/// With K = 2 this is the classic model (class 0 the matches, m = θ_0; class 1 the non-matches,
/// u = θ_1). K = 3 (the deduplicator's default) leaves room for a second kind of non-match: pairs
/// that agree on some fields because they are related, not the same — the businesses of one
/// building share its street and switchboard phone but not their names. With two classes EM
/// makes that large, coherent group its "match" class; with three it gets a class of its own.
/// Which classes are matches is then read from the fitted classes (`isMatch`): a class is a
/// match class when no field disagrees completely (its last level) in half of its pairs or more
/// — duplicates agree on every field more often than not, related rows differ on what tells
/// them apart. Class 0 (started as "everything agrees") is always a match class and the last
/// class (started as "everything disagrees") never is.
///
/// A pair's log-odds log P(match classes | levels) − log P(other classes | levels) is the signed
/// similarity correlation clustering works on: positive means the same entity.
public struct FellegiSunterModel: Sendable {
    public let fields: Int
    public let levels: Int
    /// K, the latent classes.
    public let classes: Int
    /// π_k, the share of compared pairs in each class, (K).
    public private(set) var priors: [Double]
    /// θ_k[f][l] = P(level l on field f | class k), (K, F, L).
    public private(set) var probabilities: [[[Double]]]
    /// Whether each class counts as the same entity, (K).
    public private(set) var isMatch: [Bool]
    /// The log-likelihood after each EM iteration; never decreasing.
    public private(set) var history: [Double] = []

    /// A class is a match class when every field's last level has probability below this.
    public static let maxMatchDisagreement = 0.5

    /// Starts from "matches mostly agree, non-matches mostly disagree", middle classes uniform.
    public init(fields: Int, levels: Int, classes: Int = 2) {
        precondition(levels >= 2, "at least agree / disagree")
        precondition(classes >= 2, "at least matches and non-matches")
        self.fields = fields
        self.levels = levels
        self.classes = classes
        priors = [0.05] + [Double](repeating: 0.95 / Double(classes - 1), count: classes - 1)
        let agree = (0..<levels).map { pow(0.25, Double($0)) }, disagree = Array(agree.reversed())
        let uniform = [Double](repeating: 1, count: levels)
        probabilities = (0..<classes).map { k in
            let start = k == 0 ? agree : k == classes - 1 ? disagree : uniform
            return Array(repeating: start.map { $0 / start.reduce(0, +) }, count: fields)
        }
        isMatch = (0..<classes).map { $0 == 0 }
    }

    /// p, the share of compared pairs in match classes.
    public var matchPrior: Double { zip(priors, isMatch).reduce(0) { $0 + ($1.1 ? $1.0 : 0) } }
    /// m[f][l] = P(level l on field f | match), the match classes pooled by prior, (F, L).
    public var m: [[Double]] { pooled(match: true) }
    /// u[f][l] = P(level l on field f | non-match), the other classes pooled by prior, (F, L).
    public var u: [[Double]] { pooled(match: false) }

    func pooled(match: Bool) -> [[Double]] {
        let chosen = (0..<classes).filter { isMatch[$0] == match }
        let total = chosen.reduce(0) { $0 + priors[$1] }
        return (0..<fields).map { f in (0..<levels).map { l in chosen.reduce(0) { $0 + priors[$1] * probabilities[$1][f][l] } / total } }
    }

    /// Fits by EM to distinct level patterns (each `fields` codes, `levels` meaning missing) seen
    /// `counts` times. Stops when the log-likelihood gains less than `tolerance` per pair; then
    /// decides which classes are matches. Each iteration's sums are taken in fixed chunks of
    /// patterns (`EMSums`), so the fit is the same to the bit whatever the number of threads and
    /// ranks. With a communicator of N ranks (a collective call: every rank passes the same
    /// patterns) each rank sums 1/N of the chunks.
    public mutating func fit(patterns: [[UInt8]], counts: [Double], maxIterations: Int = 500, tolerance: Double = 1e-9,
                             communicator: any Communicator = SingleProcessCommunicator()) {
        let total = counts.reduce(0, +)
        guard total > 0 else { return }
        let K = classes, F = fields, L = levels
        let observed = ObservedLevels(patterns, fields: F, levels: L)
        var logTheta = [Double](repeating: 0, count: K * F * L)
        var previous = -Double.infinity
        for _ in 0..<maxIterations {
            for k in 0..<K { for f in 0..<F { for l in 0..<L { logTheta[(k * F + f) * L + l] = log(probabilities[k][f][l]) } } }
            let sums = EMSums(observed, counts: counts, logTheta: logTheta, logPriors: priors.map { log($0) }, communicator: communicator)
            history.append(sums.logLikelihood)
            if sums.logLikelihood - previous < tolerance * total { break }
            previous = sums.logLikelihood
            // M-step: weighted level frequencies per class (a tiny floor keeps logs finite).
            priors = sums.mass.map { min(max($0 / total, 1e-9), 1 - 1e-9) }
            probabilities = (0..<K).map { k in
                (0..<F).map { f in
                    let row = sums.levelCounts[((k * F + f) * L)..<((k * F + f + 1) * L)]
                    let sum = row.reduce(0, +)
                    return row.map { $0 / sum }
                }
            }
        }
        isMatch = (0..<classes).map { k in
            k == 0 || (k < classes - 1 && probabilities[k].allSatisfy { $0[levels - 1] < FellegiSunterModel.maxMatchDisagreement })
        }
    }

    /// log P(levels, class k) for each class, (K).
    public func logJoint(_ pattern: [UInt8]) -> [Double] {
        (0..<classes).map { k in
            var sum = log(priors[k])
            for f in 0..<fields where Int(pattern[f]) < levels { sum += log(probabilities[k][f][Int(pattern[f])]) }
            return sum
        }
    }

    /// log P(match | levels) − log P(non-match | levels).
    public func logOdds(_ pattern: [UInt8]) -> Double {
        let joint = logJoint(pattern)
        return FellegiSunterModel.logSumExp(joint.indices.filter { isMatch[$0] }.map { joint[$0] })
            - FellegiSunterModel.logSumExp(joint.indices.filter { !isMatch[$0] }.map { joint[$0] })
    }

    /// The evidence weight log(m/u) of level `level` on field `field` (match and non-match classes
    /// pooled: with more than two classes the pair's log-odds is not exactly the sum of these).
    public func weight(field: Int, level: Int) -> Double {
        let m = pooled(match: true)[field][level], u = pooled(match: false)[field][level]
        return log(m / u)
    }

    static func logSumExp(_ values: [Double]) -> Double {
        guard let top = values.max(), top > -Double.infinity else { return -Double.infinity }
        return top + log(values.reduce(0) { $0 + exp($1 - top) })
    }
}
