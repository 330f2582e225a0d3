/// Rows whose normalized fields are identical, collapsed to one representative each: the first row
/// of each group. Rows whose fields are all empty say nothing and stay apart.
public struct ExactDuplicates: Sendable {
    /// The first row of each group, ascending (R).
    public let representatives: [Int]
    /// For each input row, the index into `representatives` of its group (N).
    public let representativeOf: [Int]

    public init(_ records: NormalizedRecords) {
        var hashes = [UInt64](repeating: 0, count: records.count)
        for row in 0..<records.count {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for f in 0..<records.fieldCount {
                for byte in records.field(row, f) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                h = (h ^ 0xFF) &* 0x0000_0100_0000_01B3
            }
            hashes[row] = h
        }
        // Per hash its latest group, and per group the previous one with the same hash (-1: none),
        // so no hash holds an array of its own.
        var latestWithHash: [UInt64: Int] = [:]
        latestWithHash.reserveCapacity(records.count)
        var previousWithHash: [Int] = []
        var representatives: [Int] = []
        var representativeOf = [Int](repeating: 0, count: records.count)
        for row in 0..<records.count {
            let empty = records.record(row).isEmpty  // nothing to compare: its own entity
            let latest = empty ? -1 : latestWithHash[hashes[row]] ?? -1
            var group = latest
            while group >= 0 && !records.sameRecord(representatives[group], row) { group = previousWithHash[group] }
            if group >= 0 {
                representativeOf[row] = group
                continue
            }
            representativeOf[row] = representatives.count
            previousWithHash.append(latest)
            if !empty { latestWithHash[hashes[row]] = representatives.count }
            representatives.append(row)
        }
        self.representatives = representatives
        self.representativeOf = representativeOf
    }

    /// Rows merged into an earlier identical row.
    public var merged: Int { representativeOf.count - representatives.count }
}
