/// Blocks of rows that hold the same value in one field, as Splink's blocking rules on one column:
/// a pair that k-means blocking cuts apart in every pass (their vectors are close, but the
/// recursion put them on different sides of a split) still meets when it shares a phone, a postcode,
/// a date of birth or a street. Values are compared normalized, numeric ones (digits and spaces once
/// normalized) on their digits alone ("(965) 444-9145" and "965 4449145" are one key). A value held by more than `maxGroup` rows
/// (a common given name, a state) makes no block: it would cost quadratic pairs and says little.
struct ValueBlocking {
    var maxGroup: Int

    /// The blocks (indices into `representatives`, each block ascending) of every field of `records`,
    /// field after field (the fields on all cores).
    func blocks(_ records: NormalizedRecords, representatives: [Int]) -> [[Int]] {
        Parallel.map(records.fieldCount) { f in
            var blocks: [[Int]] = []
            var keyed: [(key: UInt64, row: Int)] = []
            keyed.reserveCapacity(representatives.count)
            for (index, row) in representatives.enumerated() {
                let value = records.field(row, f)
                if !value.isEmpty { keyed.append((ValueBlocking.key(value), index)) }
            }
            keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
            var start = 0
            while start < keyed.count {
                var end = start + 1
                while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
                if end - start >= 2 && end - start <= maxGroup { blocks.append(keyed[start..<end].map(\.row)) }
                start = end
            }
            return blocks
        }.flatMap { $0 }
    }

    /// A hash of `value`, of its digits alone when it holds only digits and spaces.
    static func key(_ value: ArraySlice<UInt8>) -> UInt64 {
        let numeric = value.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 }
        var hash = FNV1a()
        for byte in value where !numeric || byte != 0x20 { hash.add(UInt64(byte)) }
        return hash.value
    }
}
