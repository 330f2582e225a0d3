import CBLAS

extension ParameterStore {
    /// Scales all gradients so that their global L2 norm is at most `maxNorm` (as
    /// `torch.nn.utils.clip_grad_norm_` does, factor maxNorm / (norm + 1e-6)). Returns the norm
    /// before clipping.
    @discardableResult
    public func clipGradientNorm(_ maxNorm: Float) -> Float {
        let g = gradients
        let norm = gradientNorm()
        let factor = maxNorm / (norm + 1e-6)
        if factor < 1 { forEachHalf(count) { lo, hi, _ in glossa_scale(hi - lo, g + lo, factor) } }
        return norm
    }

    /// Global L2 norm of the gradients.
    public func gradientNorm() -> Float {
        var parts: (Double, Double) = (0, 0)
        let g = gradients
        withUnsafeMutablePointer(to: &parts) { p in
            p.withMemoryRebound(to: Double.self, capacity: 2) { sums in
                forEachHalf(count) { lo, hi, part in sums[part] = glossa_sum_squares(hi - lo, g + lo) }
            }
        }
        return Float((parts.0 + parts.1).squareRoot())
    }

    /// L2 regularization (weight decay): returns λ·‖W‖² and adds its gradient 2λ·W into the
    /// gradients. W is every parameter whose name does not contain "bias" (biases are not decayed),
    /// unless `includeBiases`. Add the returned value to the loss to get the objective.
    @discardableResult
    public func addL2Penalty(_ lambda: Float, includeBiases: Bool = false) -> Float {
        if lambda == 0 { return 0 }
        var sum: Double = 0
        for p in parameters where includeBiases || !p.name.contains("bias") {
            let w = value(p), g = gradient(p)
            for i in 0..<p.count {
                sum += Double(w[i]) * Double(w[i])
                g[i] += 2 * lambda * w[i]
            }
        }
        return Float(Double(lambda) * sum)
    }
}
