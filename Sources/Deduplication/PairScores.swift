import Foundation
import MessagePassing

/// The fitted pair model and what it says about each agreement pattern: the Fellegi–Sunter model
/// fitted by EM to the pattern counts (no labels), and per pattern code the signed similarity
/// log-odds − logit(threshold): positive means the same entity.
public struct PairScores: Sendable {
    public let model: FellegiSunterModel
    /// The posterior match probability a pair must exceed.
    public let threshold: Double
    /// logit(threshold), subtracted from every log-odds.
    public let offset: Double
    /// The signed similarity of each pattern code that occurs.
    public let weightOf: [UInt64: Double]
    /// `weightOf` for the per-pair lookups (a pair's weight is looked up a few times per stage).
    let table: UInt64Table<Double>

    /// Fits the model to `patterns`' counts (codes in ascending order, for a reproducible fit); on
    /// N ranks (a collective call: the counts are the job's on every rank) the fit's sums shared out.
    public init(_ patterns: AgreementPatterns, levels: Int, classes: Int, threshold: Double,
                communicator: any Communicator = SingleProcessCommunicator()) {
        let distinct = patterns.counts.keys.sorted()
        let decoded = distinct.map(patterns.decode)
        var model = FellegiSunterModel(fields: patterns.fields, levels: levels, classes: classes)
        model.fit(patterns: decoded, counts: distinct.map { Double(patterns.counts[$0]!) }, communicator: communicator)
        let offset = log(threshold / (1 - threshold))
        var weightOf: [UInt64: Double] = [:]
        for code in patterns.counts.keys { weightOf[code] = model.logOdds(patterns.decode(code)) - offset }
        self.init(model: model, threshold: threshold, offset: offset, weightOf: weightOf)
    }

    /// The same model with the threshold moved to log-odds `logOdds`.
    public func moved(toLogOdds logOdds: Double) -> PairScores {
        PairScores(model: model, threshold: 1 / (1 + exp(-logOdds)), offset: logOdds, weightOf: weightOf.mapValues { $0 + offset - logOdds })
    }

    init(model: FellegiSunterModel, threshold: Double, offset: Double, weightOf: [UInt64: Double]) {
        self.model = model
        self.threshold = threshold
        self.offset = offset
        self.weightOf = weightOf
        table = UInt64Table(weightOf.map { ($0.key, $0.value) })
    }

    /// The signed similarity of a pair with pattern `code`.
    public func weight(_ code: UInt64) -> Double { table[code]! }

    /// The signed similarity of pair `index` of `patterns`, its term-frequency adjustment included.
    @inline(__always)
    public func weight(pair index: Int, _ patterns: AgreementPatterns) -> Double {
        table[patterns.codes[index]]! + patterns.adjustment(index)
    }
}
