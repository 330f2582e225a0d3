/// FNV-1a, 64 bits (Fowler, Noll, Vo): a fast hash that is the same on every machine and run, for
/// fingerprints (training data, a model's layout) and hashed keys (n-grams, field values).
public struct FNV1a: Sendable {
    public var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inlinable public init() {}

    /// Mixes in one unit: a byte, or a whole id as data fingerprints do.
    @inlinable @inline(__always)
    public mutating func add(_ unit: UInt64) { value = (value ^ unit) &* 0x0000_0100_0000_01B3 }

    /// Mixes in each byte.
    @inlinable @inline(__always)
    public mutating func add<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { add(UInt64(byte)) }
    }
}
