import CBLAS

/// Stochastic gradient descent over every parameter in a store, optionally with momentum
/// (PyTorch's form: v = μ·v + g, w −= lr·v). One loop over the flat buffers.
public final class SGD {
    public let store: ParameterStore
    public var learningRate: Float
    public let momentum: Float
    private var velocity: [Float]

    public init(store: ParameterStore, learningRate: Float, momentum: Float = 0) {
        self.store = store
        self.learningRate = learningRate
        self.momentum = momentum
        velocity = momentum > 0 ? [Float](repeating: 0, count: store.count) : []
    }

    /// w −= lr · g (with momentum when configured). Does not zero the gradients.
    public func step() {
        let w = store.values, g = store.gradients, n = store.count, lr = learningRate, mu = momentum
        if momentum > 0 {
            if velocity.count != n { velocity = [Float](repeating: 0, count: n) }
            velocity.withUnsafeMutableBufferPointer { v in
                let pv = v.baseAddress!
                forEachHalf(n) { lo, hi, _ in glossa_sgd_step(hi - lo, w + lo, g + lo, pv + lo, lr, mu) }
            }
        } else {
            forEachHalf(n) { lo, hi, _ in glossa_sgd_step(hi - lo, w + lo, g + lo, nil, lr, 0) }
        }
    }
}
