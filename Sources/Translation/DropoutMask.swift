import NeuralCore

/// Inverted dropout: each element is kept with probability 1 − p and scaled by 1 / (1 − p), so
/// nothing changes at inference time. The mask holds the factors (0 or 1 / (1 − p)).
enum DropoutMask {
    static func mask(count: Int, rate p: Float, rng: inout SplitMix64) -> [Float] {
        let scale = 1 / (1 - p)
        return (0..<count).map { _ in rng.nextUniform() < p ? 0 : scale }
    }

    /// x ⊙= mask over mask.count elements.
    static func apply(_ mask: [Float], to x: UnsafeMutablePointer<Float>) {
        mask.withUnsafeBufferPointer { m in for i in 0..<m.count { x[i] *= m[i] } }
    }
}
