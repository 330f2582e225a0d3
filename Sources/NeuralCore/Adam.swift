import CBLAS
import Foundation

/// Adam (Kingma & Ba 2015) over every parameter in a store, as `torch.optim.Adam` computes it
/// (bias-corrected moments, ε added to the corrected √v). One loop over the flat buffers.
public final class Adam {
    public let store: ParameterStore
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    /// Number of steps taken.
    public private(set) var t = 0
    /// First and second moment estimates, one per parameter element.
    public private(set) var m: [Float], v: [Float]

    /// Adam over every parameter `store` holds now (build it after the model). PyTorch's defaults.
    public init(store: ParameterStore, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) {
        self.store = store
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = [Float](repeating: 0, count: store.count)
        v = [Float](repeating: 0, count: store.count)
    }

    /// Continues from saved moments and step count (a resumed run).
    public func restore(m: [Float], v: [Float], steps: Int) {
        precondition(m.count == self.m.count && v.count == self.v.count, "Adam state of another size")
        self.m = m
        self.v = v
        t = steps
    }

    /// One update from the current gradients. Does not zero them.
    public func step() {
        t += 1
        let n = store.count
        precondition(m.count == n, "Adam was built before the store had all its parameters")
        let w = store.values, g = store.gradients
        let c1 = 1 - Float(pow(Double(beta1), Double(t)))
        let c2 = 1 - Float(pow(Double(beta2), Double(t)))
        let (b1, b2, eps, stepSize, c2root) = (beta1, beta2, epsilon, learningRate / c1, c2.squareRoot())
        m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
                let (pm, pv) = (m.baseAddress!, v.baseAddress!)
                forEachHalf(n) { lo, hi, _ in
                    glossa_adam_step(hi - lo, w + lo, g + lo, pm + lo, pv + lo, b1, b2, stepSize, c2root, eps)
                }
            }
        }
    }
}
