/// Inverted dropout: in training each element is kept with probability 1 − p and scaled by
/// 1/(1 − p), so evaluation (no call at all) needs no rescaling. The mask comes from a counter-based
/// `DropoutKey` and is returned as the cache.
public struct Dropout {
    public let probability: Float

    /// `probability` p ∈ [0, 1) of zeroing an element.
    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.probability = probability
    }

    /// Training forward: x, time-major rows (T, B, W) or (T·B, W) → (x ⊙ mask, mask), mask entries 0
    /// or 1/(1 − p), row (t, b) drawn from `key`.
    public func forward(_ x: Tensor, steps T: Int, batch B: Int, key: DropoutKey) -> (output: Tensor, mask: Tensor) {
        precondition(T * B > 0 && x.count % (T * B) == 0, "dropout: \(x.shape) is not \(T)·\(B) rows")
        var mask = Tensor(zeros: x.shape)
        mask.data.withUnsafeMutableBufferPointer { m in
            key.fill(m.baseAddress!, steps: T, batch: B, width: x.count / (T * B), rate: probability)
        }
        var y = x
        for i in 0..<x.count { y.data[i] *= mask.data[i] }
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
