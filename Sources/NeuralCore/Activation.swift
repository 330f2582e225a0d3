import CBLAS

/// Element-wise nonlinearities with their derivatives expressed through the output y.
public enum Activation: Int32, Sendable, CaseIterable {
    case tanh = 0
    case relu = 1
    case sigmoid = 2

    /// y = act(x), any shape.
    public func forward(_ x: Tensor) -> Tensor {
        var y = x
        y.data.withUnsafeMutableBufferPointer { glossa_activation_forward(rawValue, Int32($0.count), $0.baseAddress!) }
        return y
    }

    /// dx = dy ⊙ act'(x), computed from the forward output y (the cache).
    public func backward(_ dy: Tensor, output y: Tensor) -> Tensor {
        precondition(dy.shape == y.shape, "activation backward: dy \(dy.shape), y \(y.shape)")
        var dx = Tensor(zeros: y.shape)
        y.data.withUnsafeBufferPointer { py in
            dy.data.withUnsafeBufferPointer { pdy in
                dx.data.withUnsafeMutableBufferPointer { pdx in
                    glossa_activation_backward(rawValue, Int32(py.count), py.baseAddress!, pdy.baseAddress!, pdx.baseAddress!)
                }
            }
        }
        return dx
    }
}
