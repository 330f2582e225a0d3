/// A fixed map from UInt64 keys (never `UInt64.max`) to values, for lookups in hot loops: open
/// addressing with a multiplicative hash and linear probing, at most a quarter full, so a lookup
/// is a multiply and a probe or two (a Dictionary hashes every key with SipHash).
struct UInt64Table<Value> {
    /// The keys (`UInt64.max`: an empty slot) and, at the same slot, the index of the value.
    private let keys: [UInt64]
    private let slots: [Int32]
    private let values: [Value]
    private let shift: UInt64

    /// The table of `entries` (each key once).
    init(_ entries: [(key: UInt64, value: Value)]) {
        precondition(entries.count < Int(Int32.max), "too many entries")
        var bits: UInt64 = 4
        while 1 << bits < 4 * entries.count { bits += 1 }
        shift = 64 - bits
        var keys = [UInt64](repeating: .max, count: 1 << bits), slots = [Int32](repeating: -1, count: 1 << bits)
        for (index, entry) in entries.enumerated() {
            precondition(entry.key != .max, "UInt64.max marks an empty slot")
            var slot = Int((entry.key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[slot] != .max && keys[slot] != entry.key { slot = (slot + 1) & (keys.count - 1) }
            precondition(keys[slot] == .max, "each key once")
            keys[slot] = entry.key
            slots[slot] = Int32(index)
        }
        self.keys = keys
        self.slots = slots
        values = entries.map(\.value)
    }

    /// The value of `key`, or nil.
    @inline(__always)
    subscript(key: UInt64) -> Value? {
        var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while keys[slot] != .max {
            if keys[slot] == key { return values[Int(slots[slot])] }
            slot = (slot + 1) & (keys.count - 1)
        }
        return nil
    }
}

extension UInt64Table: Sendable where Value: Sendable {}
