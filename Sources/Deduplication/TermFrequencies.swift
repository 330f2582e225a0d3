import Foundation
import MessagePassing

/// How common each field value is, for term-frequency adjustment as Splink does it: two rows that
/// agree exactly on a common value (a busy boulevard, a hotel's switchboard phone, "john") are
/// weaker evidence of a match than two that agree on a rare one. With tf(v) the share of distinct
/// rows holding value v in a field and Σ tf² the chance that two random rows agree there, exact
/// agreement on v adds log(Σ tf² / tf(v)) to the pair's log-odds: 0 for a value of typical
/// frequency, negative for common ones. Only the negative side is used (`adjustment` ≤ 0): rare
/// values are not taken as extra evidence, the model's own weight already counts agreement.
///
/// Values are counted by their hash (`KeyGroups`), on N ranks each value by the rank that owns its
/// hash; only the common values (adjustment < 0) are kept, on every rank. Σ tf² is summed as the
/// integer Σ count² (divided by present² once), so it is the same whatever the order or N.
public struct TermFrequencies: Sendable {
    /// Per field: hash of a common value (one whose adjustment is negative) → its adjustment.
    /// Every other value adjusts by 0.
    let common: [[UInt64: Double]]
    /// Per field: log Σ_v tf(v)².
    let logAgreement: [Double]
    /// Per field: the number of distinct rows where the field is not empty.
    let present: [Int]

    /// Counts the values of `records`' fields over the rows `representatives` (a collective call:
    /// each rank hashes its share of the rows and counts the values it owns; every rank holds
    /// `records`' rows `representatives` and gets the same frequencies as one process).
    public init(_ records: NormalizedRecords, representatives: [Int], communicator: any Communicator = SingleProcessCommunicator()) {
        let fieldCount = records.fieldCount
        let share = Parallel.range(communicator.rank, of: communicator.size, count: representatives.count)
        var present: [Int] = [], logAgreement: [Double] = []
        // Each field's values counted: on one process the fields on all cores (no collective call
        // to keep in order), on N ranks one after another (one field's hashes held at a time).
        let count = { f in TermFrequencies.count(field: f, records, representatives[share], communicator) }
        let counts = communicator.size == 1 ? Parallel.map(fieldCount, count) : (0..<fieldCount).map(count)
        // Per field: its common values on this rank, encoded as their number, then (hash, count) pairs.
        var encoded: [Int64] = []
        for (f, local) in counts.enumerated() {
            var totals = [local.present, local.squares]
            communicator.allreduceSum(&totals)
            let n = Double(max(1, totals[0]))
            present.append(Int(totals[0]))
            logAgreement.append(log(max(1e-300, Double(totals[1]) / (n * n))))
            let common = local.repeated.filter {
                TermFrequencies.adjustment(count: $0.count, present: present[f], logAgreement: logAgreement[f]) < 0
            }
            encoded.append(Int64(common.count))
            for (hash, count) in common { encoded.append(Int64(bitPattern: hash)); encoded.append(Int64(count)) }
        }
        // Every rank's common values, on every rank.
        var common = [[UInt64: Double]](repeating: [:], count: fieldCount)
        let all = communicator.allgatherConcatenated(encoded).values
        var p = 0
        for _ in 0..<communicator.size {
            for f in 0..<fieldCount {
                let count = Int(all[p])
                p += 1
                for _ in 0..<count {
                    common[f][UInt64(bitPattern: all[p])] = TermFrequencies.adjustment(count: Int(all[p + 1]), present: present[f],
                                                                                       logAgreement: logAgreement[f])
                    p += 2
                }
            }
        }
        self.common = common
        self.logAgreement = logAgreement
        self.present = present
    }

    /// Field `field` of this rank's `rows`: each value's hash sent to the rank that owns it
    /// (`KeyGroups.owner`), which counts the values it receives. Returns over the values this rank
    /// owns the rows holding them (`present`), Σ count² (`squares`) and the values held by 2 or more
    /// rows (one row's value is never common: its tf is at most Σ tf²). A collective call.
    static func count(field f: Int, _ records: NormalizedRecords, _ rows: ArraySlice<Int>, _ communicator: any Communicator)
        -> (present: Int64, squares: Int64, repeated: [(hash: UInt64, count: Int)]) {
        let received = KeyGroups.sendToOwners(count: rows.count, withValue: false, communicator: communicator) { i in
            let value = records.field(rows[rows.startIndex + i], f)
            return value.isEmpty ? nil : (TermFrequencies.hash(value), 0)
        }
        let keys = KeyGroups.grouped(received.map { UInt64(bitPattern: $0) }) { $0 }
        var present: Int64 = 0, squares: Int64 = 0
        var repeated: [(hash: UInt64, count: Int)] = []
        KeyGroups.forEachRun(keys, key: { $0 }) { run in
            present += Int64(run.count)
            squares += Int64(run.count) * Int64(run.count)
            if run.count > 1 { repeated.append((keys[run.lowerBound], run.count)) }
        }
        return (present, squares, repeated)
    }

    /// The log-odds change for exact agreement on `value` in field `field` (≤ 0).
    public func adjustment(field: Int, value: ArraySlice<UInt8>) -> Double {
        common[field][TermFrequencies.hash(value)] ?? 0
    }

    /// The log-odds change for exact agreement on a value held by `count` of the field's `present`
    /// rows: min(0, log Σ tf² − log tf).
    static func adjustment(count: Int, present: Int, logAgreement: Double) -> Double {
        min(0, logAgreement - log(Double(count) / Double(max(1, present))))
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash = FNV1a()
        hash.add(bytes: bytes)
        return hash.value
    }
}
