import Foundation

/// A hash table from tokens (UTF-8 byte strings) to dense indices 0, 1, 2, ... in insertion order.
/// Keys live back to back in one arena, so looking a token up never makes a `String`; this is the
/// vocabulary's id lookup and the counter's type table. Not thread-safe while it grows; reading a
/// table that no longer changes is safe from any thread.
final class TokenTable: @unchecked Sendable {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// starts[i] ..< starts[i + 1] are key i's bytes; starts[count] is the arena's end.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: each slot holds an index + 1, or 0 when empty.
    private var slots: UnsafeMutablePointer<Int32>
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        arenaCapacity = max(64, capacity * 8)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// The number of distinct keys.
    var count: Int { hashes.count }

    /// Key `index`'s bytes, valid until the next insertion.
    @inline(__always)
    func key(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: arena + starts[index], count: starts[index + 1] - starts[index])
    }

    /// Key `index` as a string.
    func string(_ index: Int) -> String { String(decoding: key(index), as: UTF8.self) }

    /// A 64-bit hash of `bytes` (8 bytes per step, multiply-xorshift mixing).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(bytes.count) &* 0xBF58_476D_1CE4_E5B9)
        guard let base = bytes.baseAddress else { return h }
        var i = 0
        let n = bytes.count
        while i &+ 8 <= n {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
            i &+= 8
        }
        if i < n {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                word |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ word) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
        }
        h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[index]
        guard starts[index &+ 1] &- start == bytes.count else { return false }
        guard let base = bytes.baseAddress else { return true }
        return memcmp(arena + start, base, bytes.count) == 0
    }

    /// Where `bytes` is: its index (-1 when absent), its hash, and the slot that holds it or the
    /// empty slot where it would go.
    @inline(__always)
    private func probe(_ bytes: UnsafeRawBufferPointer) -> (index: Int, hash: UInt64, slot: Int) {
        let h = TokenTable.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return (-1, h, slot) }
            if hashes[entry &- 1] == h && equals(entry &- 1, bytes) { return (entry &- 1, h, slot) }
            slot = (slot &+ 1) & mask
        }
    }

    /// The index of `bytes`, or -1.
    @inline(__always)
    func find(_ bytes: UnsafeRawBufferPointer) -> Int { probe(bytes).index }

    /// The index of `bytes`, inserting it at the end when new.
    @inline(__always)
    @discardableResult
    func insert(_ bytes: UnsafeRawBufferPointer) -> Int {
        let found = probe(bytes)
        return found.index >= 0 ? found.index : append(bytes, hash: found.hash, slot: found.slot)
    }

    /// Key `a` against key `b` in UTF-8 byte order (Unicode code point order): negative, 0 or positive.
    func compare(_ a: Int, _ b: Int) -> Int {
        let x = key(a), y = key(b)
        let common = memcmp(x.baseAddress!, y.baseAddress!, min(x.count, y.count))
        return common != 0 ? Int(common) : x.count - y.count
    }

    func insert(_ token: String) -> Int {
        var token = token
        return token.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    func find(_ token: String) -> Int {
        var token = token
        return token.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    private func append(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, slot: Int) -> Int {
        if arenaCount + bytes.count > arenaCapacity {
            var capacity = arenaCapacity * 2
            while capacity < arenaCount + bytes.count { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = capacity
        }
        if let base = bytes.baseAddress { (arena + arenaCount).update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        arenaCount += bytes.count
        starts.append(arenaCount)
        hashes.append(h)
        let index = hashes.count - 1
        slots[slot] = Int32(index + 1)
        if hashes.count * 2 > mask + 1 { grow() }
        return index
    }

    private func grow() {
        let size = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        for (index, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }
}
