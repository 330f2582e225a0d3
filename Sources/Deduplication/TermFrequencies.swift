import Foundation

/// How common each field value is, for term-frequency adjustment as Splink does it: two rows that
/// agree exactly on a common value (a busy boulevard, a hotel's switchboard phone, "john") are
/// weaker evidence of a match than two that agree on a rare one. With tf(v) the share of distinct
/// rows holding value v in a field and Σ tf² the chance that two random rows agree there, exact
/// agreement on v adds log(Σ tf² / tf(v)) to the pair's log-odds: 0 for a value of typical
/// frequency, negative for common ones. Only the negative side is used (`adjustment` ≤ 0): rare
/// values are not taken as extra evidence, the model's own weight already counts agreement.
public struct TermFrequencies: Sendable {
    /// Per field: hash of the normalized value → rows holding it.
    let counts: [[UInt64: Int32]]
    /// Per field: log Σ_v tf(v)².
    let logAgreement: [Double]
    /// Per field: the number of distinct rows where the field is not empty.
    let present: [Int]

    /// Counts the values of `records`' fields over the rows `representatives`.
    public init(_ records: NormalizedRecords, representatives: [Int]) {
        // Field by field, on all cores.
        let fields = Parallel.map(records.fieldCount) { f -> (counts: [UInt64: Int32], present: Int) in
            var counts: [UInt64: Int32] = [:], present = 0
            for row in representatives {
                let value = records.field(row, f)
                if value.isEmpty { continue }
                counts[TermFrequencies.hash(value), default: 0] += 1
                present += 1
            }
            return (counts, present)
        }
        let counts = fields.map(\.counts), present = fields.map(\.present)
        logAgreement = (0..<records.fieldCount).map { f in
            let n = Double(max(1, present[f]))
            return log(max(1e-300, counts[f].values.reduce(0.0) { $0 + (Double($1) / n) * (Double($1) / n) }))
        }
        self.counts = counts
        self.present = present
    }

    /// The log-odds change for exact agreement on `value` in field `field` (≤ 0).
    public func adjustment(field: Int, value: ArraySlice<UInt8>) -> Double {
        guard let count = counts[field][TermFrequencies.hash(value)] else { return 0 }
        return min(0, logAgreement[field] - log(Double(count) / Double(max(1, present[field]))))
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash = FNV1a()
        hash.add(bytes: bytes)
        return hash.value
    }
}
