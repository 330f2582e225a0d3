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

    /// `blocks` on N ranks, hash-partitioned (a collective call): each rank keys the values of its
    /// `share` of the distinct rows (indices into `representatives`; `records` holds every row on
    /// every rank), sends each (key, field, row) to the rank that owns the key (`KeyGroups.owner`),
    /// and keeps the blocks of the keys it owns. Over the ranks these are the one-process blocks,
    /// each on one rank (about 1/N of them a rank, by hash), each ascending, in no set order. The
    /// fields are keyed in rounds of at most `maxRoundValues` values over all ranks (one round at 1M
    /// rows: what a round sends and sorts is 16 bytes a value).
    func blocks(_ records: NormalizedRecords, representatives: [Int], share: Range<Int>, communicator: any Communicator,
                maxRoundValues: Int = 1 << 24) -> FlatBlocks {
        let fieldsPerRound = max(1, maxRoundValues / max(1, representatives.count))
        var flat = FlatBlocks()
        for first in stride(from: 0, to: records.fieldCount, by: fieldsPerRound) {
            let fields = first..<min(records.fieldCount, first + fieldsPerRound)
            // (key, field << 32 | distinct row) per nonempty value this rank owns the key of.
            let received = KeyGroups.sendToOwners(count: share.count * fields.count, withValue: true, communicator: communicator) { i in
                let index = share.lowerBound + i / fields.count, field = fields.lowerBound + i % fields.count
                let value = records.field(representatives[index], field)
                return value.isEmpty ? nil : (ValueBlocking.key(value), Int64(field) << 32 | Int64(index))
            }
            let values = (0..<(received.count / 2)).map { KeyedValue(key: UInt64(bitPattern: received[2 * $0]), fieldAndRow: received[2 * $0 + 1]) }
            // Equal keys adjacent, then by field, then by row: each run of one key and field is a block.
            let grouped = KeyGroups.grouped(values) { $0.key }
            forEachBlock(count: grouped.count, sameValue: { grouped[$0].key == grouped[$1].key && grouped[$0].fieldAndRow >> 32 == grouped[$1].fieldAndRow >> 32 }) {
                flat.append(grouped[$0].lazy.map { $0.fieldAndRow & 0xFFFF_FFFF })
            }
        }
        return flat
    }

    /// A field value's key and where it is: its field (high 32 bits) and distinct row (low 32 bits);
    /// ordered by key, then field, then row.
    struct KeyedValue: Comparable {
        var key: UInt64
        var fieldAndRow: Int64

        static func < (x: KeyedValue, y: KeyedValue) -> Bool { x.key != y.key ? x.key < y.key : x.fieldAndRow < y.fieldAndRow }
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
        forEachBlock(count: keyed.count, sameValue: { keyed[$0].key == keyed[$1].key }) { blocks.append(keyed[$0].map(\.row)) }
        return blocks
    }

    /// Calls `body` with each run of sorted items (0..<count) that share a value (`sameValue(first,
    /// other)`: whether item `other` has the value of the run's first item) and makes a block: 2 to
    /// `maxGroup` items.
    func forEachBlock(count: Int, sameValue: (Int, Int) -> Bool, _ body: (Range<Int>) -> Void) {
        var start = 0
        while start < count {
            var end = start + 1
            while end < count && sameValue(start, end) { end += 1 }
            if end - start >= 2 && end - start <= maxGroup { body(start..<end) }
            start = end
        }
    }

    /// A hash of `value`, of its digits alone when it holds only digits and spaces.
    static func key(_ value: ArraySlice<UInt8>) -> UInt64 {
        let numeric = value.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 }
        var hash = FNV1a()
        for byte in value where !numeric || byte != 0x20 { hash.add(UInt64(byte)) }
        return hash.value
    }
}
