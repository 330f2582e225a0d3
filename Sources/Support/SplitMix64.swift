import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, seedable generator. Every random choice in
/// Glossa (initialization, dropout, shuffling, clustering) draws from one of these, so the same seed
/// gives the same model and the same clusters.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform Float in [-bound, bound).
    public mutating func nextUniform(bound: Float) -> Float {
        (nextUniform() * 2 - 1) * bound
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal Double (Box–Muller).
    public mutating func nextGaussian() -> Double {
        let u1 = nextUnit(), u2 = nextUnit()
        return (-2 * log(max(u1, 1e-300))).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A standard normal Float: `nextGaussian()` rounded.
    public mutating func nextNormal() -> Float { Float(nextGaussian()) }
}
