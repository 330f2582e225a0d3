import MessagePassing

/// Equal 64-bit keys (hashes of field values, of whole records) brought together without a hash
/// table: a counting sort on the top bits of the mixed key into buckets of about 8 items, then each
/// bucket sorted. Two passes over the items and small sorts, against a cache miss per item for a
/// dictionary of millions of keys. On N ranks each key is handled by one rank (`owner`), so the
/// ranks share the work and a key's items all meet on one rank.
enum KeyGroups {
    /// MurmurHash3's 64-bit finalizer: every bit of `key` moves every bit of the result (FNV-1a's
    /// low bits alone are weak), for buckets and owners.
    @inline(__always)
    static func mix(_ key: UInt64) -> UInt64 {
        var x = key
        x ^= x >> 33
        x = x &* 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x = x &* 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// The rank, of `ranks`, that handles `key` (the same on every rank).
    @inline(__always)
    static func owner(_ key: UInt64, ranks: Int) -> Int { Int(mix(key) % UInt64(ranks)) }

    /// Sends items 0..<`count` to the ranks that own their keys (a collective call): `item(i)` is
    /// item i's key and, when `withValue`, one more word (a row), or nil to send nothing. Computed on
    /// all cores in chunks; returns the words this rank receives — the key, then the value when
    /// `withValue`, per item — rank after rank, each rank's items in order.
    static func sendToOwners(count: Int, withValue: Bool, communicator: any Communicator,
                             _ item: (Int) -> (key: UInt64, value: Int64)?) -> [Int64] {
        let ranks = communicator.size
        let chunks = Parallel.mapChunks(count: count, chunks: Parallel.chunks(count, itemsPerChunk: 1 << 14, perCore: 2)) { range in
            var byRank = [[Int64]](repeating: [], count: ranks)
            for i in range {
                guard let (key, value) = item(i) else { continue }
                let r = ranks == 1 ? 0 : owner(key, ranks: ranks)
                byRank[r].append(Int64(bitPattern: key))
                if withValue { byRank[r].append(value) }
            }
            return byRank
        }
        return communicator.allToAll((0..<ranks).map { r in Array(chunks.map { $0[r] }.joined()) }).values
    }

    /// `items` reordered so that items of equal `key` are adjacent and, within a bucket, ascending
    /// (items of one key are in ascending order). The buckets' order is the mixed keys', not the keys'.
    static func grouped<T: Comparable>(_ items: [T], key: (T) -> UInt64) -> [T] {
        let n = items.count
        guard n > 1 else { return items }
        let bits = max(1, min(26, Int.bitWidth - n.leadingZeroBitCount - 3))  // about 8 items a bucket
        let shift = UInt64(64 - bits), buckets = 1 << bits
        var starts = [Int](repeating: 0, count: buckets + 1)
        for item in items { starts[Int(mix(key(item)) >> shift) + 1] += 1 }
        for b in 0..<buckets { starts[b + 1] += starts[b] }
        var next = starts
        var result = [T](unsafeUninitializedCapacity: n) { buffer, count in
            for item in items {
                let b = Int(mix(key(item)) >> shift)
                (buffer.baseAddress! + next[b]).initialize(to: item)
                next[b] += 1
            }
            count = n
        }
        result.withUnsafeMutableBufferPointer { buffer in
            for b in 0..<buckets where starts[b + 1] - starts[b] > 1 {
                let range = starts[b]..<starts[b + 1]
                if range.count > 16 {
                    buffer[range].sort()
                    continue
                }
                for i in (range.lowerBound + 1)..<range.upperBound {  // insertion sort
                    let item = buffer[i]
                    var j = i
                    while j > range.lowerBound && item < buffer[j - 1] { buffer[j] = buffer[j - 1]; j -= 1 }
                    buffer[j] = item
                }
            }
        }
        return result
    }

    /// Calls `body(range)` for each run of equal keys in `items` (as `grouped` leaves them).
    static func forEachRun<T>(_ items: [T], key: (T) -> UInt64, _ body: (Range<Int>) -> Void) {
        var start = 0
        while start < items.count {
            let k = key(items[start])
            var end = start + 1
            while end < items.count && key(items[end]) == k { end += 1 }
            body(start..<end)
            start = end
        }
    }
}
