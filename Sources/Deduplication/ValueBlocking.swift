import MessagePassing

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
        Parallel.map(records.fieldCount) { blocks(records, representatives: representatives, field: $0) }.flatMap { $0 }
    }

    /// `blocks` on N ranks, stored flat: rank r finds the blocks of fields r, r + N, …, and every
    /// rank gets all of them, field after field (a collective call; the same blocks as one process).
    func blocks(_ records: NormalizedRecords, representatives: [Int], communicator: any Communicator) -> FlatBlocks {
        let ranks = communicator.size
        let own = Array(stride(from: communicator.rank, to: records.fieldCount, by: ranks))
        // Each own field's blocks as: block count, then each block's length and rows.
        var encoded: [Int64] = []
        for fieldBlocks in Parallel.map(own.count, { blocks(records, representatives: representatives, field: own[$0]) }) {
            encoded.append(Int64(fieldBlocks.count))
            for block in fieldBlocks { encoded.append(Int64(block.count)); encoded += block.map(Int64.init) }
        }
        // Where each field's blocks are in the gathered values (rank after rank, each rank's fields
        // in order), then the blocks field after field.
        let values = communicator.allgatherConcatenated(encoded).values
        encoded = []
        var segments = [(start: Int, count: Int)](repeating: (0, 0), count: records.fieldCount)
        var p = 0
        for rank in 0..<ranks {
            for field in stride(from: rank, to: records.fieldCount, by: ranks) {
                segments[field] = (p + 1, Int(values[p]))
                p += 1
                for _ in 0..<segments[field].count { p += 1 + Int(values[p]) }
            }
        }
        let blockCount = segments.reduce(0) { $0 + $1.count }
        var flat = FlatBlocks()
        flat.reserve(blocks: blockCount, rows: values.count - blockCount - records.fieldCount)
        for (start, count) in segments {
            var q = start
            for _ in 0..<count {
                let length = Int(values[q])
                flat.append(values[(q + 1)..<(q + 1 + length)])
                q += 1 + length
            }
        }
        return flat
    }

    /// The blocks of field `field`, ascending by value hash.
    func blocks(_ records: NormalizedRecords, representatives: [Int], field f: Int) -> [[Int]] {
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
    }

    /// A hash of `value`, of its digits alone when it holds only digits and spaces.
    static func key(_ value: ArraySlice<UInt8>) -> UInt64 {
        let numeric = value.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 }
        var hash = FNV1a()
        for byte in value where !numeric || byte != 0x20 { hash.add(UInt64(byte)) }
        return hash.value
    }
}
