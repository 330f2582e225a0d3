/// An unordered pair of row indices a < b (each below 2³²), packed so that sorting keys sorts
/// pairs by (a, b).
public struct PairKey: Hashable, Comparable, Sendable {
    private let packed: UInt64

    /// The pair {a, b}, a < b.
    @inline(__always)
    public init(_ a: Int, _ b: Int) {
        precondition(a < b && b <= Int(UInt32.max), "a pair key is a < b < 2³²")
        packed = UInt64(a) << 32 | UInt64(b)
    }

    /// The smaller index.
    @inline(__always) public var first: Int { Int(packed >> 32) }
    /// The larger index.
    @inline(__always) public var second: Int { Int(packed & 0xFFFF_FFFF) }

    /// The packed pair as one signed integer, for sending between ranks (`init(wire:)` reads it back).
    var wire: Int64 { Int64(bitPattern: packed) }

    /// The pair `wire` holds.
    init(wire: Int64) { packed = UInt64(bitPattern: wire) }

    public static func < (x: PairKey, y: PairKey) -> Bool { x.packed < y.packed }
}
