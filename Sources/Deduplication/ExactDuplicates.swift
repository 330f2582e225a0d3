import MessagePassing

/// Rows whose normalized fields are identical, collapsed to one representative each: the first row
/// of each group. Rows whose fields are all empty say nothing and stay apart.
public struct ExactDuplicates: Sendable {
    /// The first row of each group, ascending (R).
    public let representatives: [Int]
    /// For each input row, the index into `representatives` of its group (N).
    public let representativeOf: [Int]

    /// Groups the rows of `records` (a collective call: each rank hashes its share of the rows, the
    /// rank that owns a hash (`KeyGroups.owner`) compares the rows that have it; every rank holds
    /// all of `records` and gets the groups of one process).
    public init(_ records: NormalizedRecords, communicator: any Communicator = SingleProcessCommunicator()) {
        let share = Parallel.range(communicator.rank, of: communicator.size, count: records.count)
        // 1. Each nonempty row of this rank's share as (hash, row), sent to the rank that owns the hash.
        let received = KeyGroups.sendToOwners(count: share.count, withValue: true, communicator: communicator) { i in
            let row = share.lowerBound + i
            return records.record(row).isEmpty ? nil : (ExactDuplicates.hash(records, row), Int64(row))
        }
        // 2. The rows of each hash (ascending) compared: each row that repeats an earlier one as
        //    (row, that earlier row's first row).
        let keyed = KeyGroups.grouped((0..<(received.count / 2)).map { KeyedRow(key: UInt64(bitPattern: received[2 * $0]), row: Int(received[2 * $0 + 1])) }) { $0.key }
        var repeats: [Int64] = []
        KeyGroups.forEachRun(keyed, key: { $0.key }) { run in
            guard run.count > 1 else { return }
            var firsts: [Int] = []  // the run's distinct records so far (usually one)
            for item in keyed[run] {
                if let first = firsts.first(where: { records.sameRecord($0, item.row) }) {
                    repeats.append(Int64(item.row))
                    repeats.append(Int64(first))
                } else {
                    firsts.append(item.row)
                }
            }
        }
        // 3. Every rank's repeats, on every rank: the groups, numbered by first row.
        var firstRow = Array(0..<records.count)
        let all = communicator.allgatherConcatenated(repeats).values
        for i in stride(from: 0, to: all.count, by: 2) { firstRow[Int(all[i])] = Int(all[i + 1]) }
        var representatives: [Int] = []
        var representativeOf = firstRow  // becomes the group index (a row's first row comes before it)
        for row in representativeOf.indices {
            if firstRow[row] == row {
                representativeOf[row] = representatives.count
                representatives.append(row)
            } else {
                representativeOf[row] = representativeOf[firstRow[row]]
            }
        }
        self.representatives = representatives
        self.representativeOf = representativeOf
    }

    /// Rows merged into an earlier identical row.
    public var merged: Int { representativeOf.count - representatives.count }

    /// FNV-1a of `row`'s fields, each followed by 0xFF (so that field boundaries count).
    static func hash(_ records: NormalizedRecords, _ row: Int) -> UInt64 {
        var hash = FNV1a()
        for f in 0..<records.fieldCount {
            hash.add(bytes: records.field(row, f))
            hash.add(0xFF)
        }
        return hash.value
    }

    /// A row and its hash, ordered by hash, then row.
    struct KeyedRow: Comparable {
        var key: UInt64
        var row: Int

        static func < (a: KeyedRow, b: KeyedRow) -> Bool { a.key != b.key ? a.key < b.key : a.row < b.row }
    }
}
