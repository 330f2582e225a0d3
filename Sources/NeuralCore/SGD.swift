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
        let w = store.values, g = store.gradients, n = store.count, lr = learningRate
        if momentum > 0 {
            if velocity.count != n { velocity = [Float](repeating: 0, count: n) }
            let mu = momentum
            velocity.withUnsafeMutableBufferPointer { v in
                for i in 0..<n {
                    v[i] = mu * v[i] + g[i]
                    w[i] -= lr * v[i]
                }
            }
        } else {
            for i in 0..<n { w[i] -= lr * g[i] }
        }
    }
}
