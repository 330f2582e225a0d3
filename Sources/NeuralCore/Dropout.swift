/// Inverted dropout: in training each element is kept with probability 1 − p and scaled by
/// 1/(1 − p), so evaluation (no call at all) needs no rescaling. The mask is drawn from a seeded
/// generator and returned as the cache.
public struct Dropout {
    public let probability: Float

    /// `probability` p ∈ [0, 1) of zeroing an element.
    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.probability = probability
    }

    /// Training forward: x (any shape) → (x ⊙ mask, mask), mask entries 0 or 1/(1 − p).
    public func forward(_ x: Tensor, rng: inout SplitMix64) -> (output: Tensor, mask: Tensor) {
        var mask = Tensor(zeros: x.shape)
        var y = x
        let keep = 1 - probability, scale = 1 / keep
        for i in 0..<x.count {
            let m: Float = probability == 0 || rng.nextUniform() < keep ? scale : 0
            mask.data[i] = m
            y.data[i] *= m
        }
        return (y, mask)
    }

    /// dx = dy ⊙ mask.
    public func backward(_ dy: Tensor, mask: Tensor) -> Tensor {
        precondition(dy.shape == mask.shape, "dropout backward: dy \(dy.shape), mask \(mask.shape)")
        var dx = dy
        for i in 0..<dx.count { dx.data[i] *= mask.data[i] }
        return dx
    }
}
