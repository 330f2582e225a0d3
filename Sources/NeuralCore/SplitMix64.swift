import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, seedable generator. Every random choice in
/// Glossa (initialization, dropout, shuffling) draws from one of these, so the same seed gives the same
/// model.
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

    /// A standard normal Float (Box–Muller).
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2 * log(max(u1, 1e-300))).squareRoot()
        return Float(radius * cos(2 * Double.pi * u2))
    }
}
