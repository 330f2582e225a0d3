import CBLAS
import Dispatch

/// Runs the fused softmax–cross-entropy kernel over rows, in two parts when the work is large (≥ 1M
/// logits): on both cores, or one after the other without `neuralCoreUsesBothCores` (the same sums
/// either way). `bias` (V) is added to every row first and the column sums of the result are added
/// into `biasGradient` (V): part 0's rows directly, part 1's summed apart and then added. Returns
/// Σ weight·NLL.
func softmaxCrossEntropyRows(_ logits: UnsafeMutablePointer<Float>, rows n: Int, classes v: Int,
                             targets: [Int32], weights: [Float], bias: UnsafePointer<Float>? = nil,
                             biasGradient: UnsafeMutablePointer<Float>? = nil) -> Double {
    let parts = n * v >= 1 << 20 && n >= 2 ? 2 : 1
    if parts == 1 { return glossa_softmax_xent(Int32(n), Int32(v), logits, bias, targets, weights, biasGradient) }
    let totals = UnsafeMutablePointer<Double>.allocate(capacity: parts)
    let secondSums: UnsafeMutablePointer<Float>? = biasGradient.map { _ in .allocate(capacity: v) }
    secondSums?.initialize(repeating: 0, count: v)
    defer {
        totals.deallocate()
        secondSums?.deallocate()
    }
    targets.withUnsafeBufferPointer { t in
        weights.withUnsafeBufferPointer { w in
            let run = { (part: Int) in
                let lo = n * part / parts, hi = n * (part + 1) / parts
                totals[part] = glossa_softmax_xent(Int32(hi - lo), Int32(v), logits + lo * v, bias,
                                                   t.baseAddress! + lo, w.baseAddress! + lo, part == 0 ? biasGradient : secondSums)
            }
            if neuralCoreUsesBothCores {
                DispatchQueue.concurrentPerform(iterations: parts, execute: run)
            } else {
                (0..<parts).forEach(run)
            }
        }
    }
    if let biasGradient, let secondSums { for j in 0..<v { biasGradient[j] += secondSums[j] } }
    return (0..<parts).reduce(0) { $0 + totals[$1] }
}

/// Softmax cross-entropy over logits [N, V] and target ids [N], averaged over the real tokens: rows
/// whose mask is 0 (padding) add nothing to the loss or the gradient. Returns the mean loss, the
/// number of real tokens, and dL/dlogits [N, V]. With no real tokens the loss is 0. `scale` as in
/// `softmaxCrossEntropyInPlace`.
public func softmaxCrossEntropy(logits: Tensor, targets: [Int32], mask: [Float]? = nil, scale: Float? = nil)
    -> (loss: Float, count: Int, gradient: Tensor)
{
    var gradient = logits
    let (loss, count) = softmaxCrossEntropyInPlace(&gradient, targets: targets, mask: mask, scale: scale)
    return (loss, count, gradient)
}

/// The same as `softmaxCrossEntropy` but overwrites the logits with the gradient (saves a [N, V]
/// buffer). `scale` multiplies loss and gradient: pass `nil` for the mean over real tokens, or a
/// number (e.g. 1 for the sum, as a perplexity evaluator wants). With `biasOf`, the logits are
/// `layer`'s output without its bias (`forward(..., addsBias: false)`): the bias is added here and its
/// gradient added into the store, in the same pass over [N, V] (call `backward(..., addsBiasGradient: false)`).
@discardableResult
public func softmaxCrossEntropyInPlace(_ logits: inout Tensor, targets: [Int32], mask: [Float]? = nil,
                                       scale: Float? = nil, biasOf layer: Linear? = nil) -> (loss: Float, count: Int) {
    precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                 "cross-entropy: logits \(logits.shape) for \(targets.count) targets")
    let (n, v) = (logits.shape[0], logits.shape[1])
    if let mask { precondition(mask.count == n, "cross-entropy: mask of \(mask.count) for \(n) rows") }
    var real = 0
    for i in 0..<n {
        if mask == nil || mask![i] != 0 {
            precondition(targets[i] >= 0 && Int(targets[i]) < v, "target \(targets[i]) outside \(v) classes")
            real += 1
        }
    }
    let factor = scale ?? (real > 0 ? 1 / Float(real) : 0)
    var weights = [Float](repeating: factor, count: n)
    var ids = [Int32](repeating: 0, count: n)
    for i in 0..<n {
        if let mask { weights[i] = mask[i] != 0 ? factor * mask[i] : 0 }
        ids[i] = weights[i] != 0 ? targets[i] : 0
    }
    let total = logits.data.withUnsafeMutableBufferPointer { pl in
        let bias = layer?.bias
        precondition(layer == nil || (bias != nil && layer!.outputSize == v), "cross-entropy: biasOf a layer without a bias of \(v)")
        return softmaxCrossEntropyRows(pl.baseAddress!, rows: n, classes: v, targets: ids, weights: weights,
                                       bias: bias.map { UnsafePointer(layer!.store.value($0)) },
                                       biasGradient: bias.map { layer!.store.gradient($0) })
    }
    return (Float(total), real)
}

/// Row-wise log-softmax of logits [N, V] (for prediction, generation and beam search).
public func logSoftmax(_ logits: Tensor) -> Tensor {
    precondition(logits.rank == 2, "logSoftmax needs [N, V], got \(logits.shape)")
    var y = logits
    y.data.withUnsafeMutableBufferPointer { glossa_log_softmax(Int32(logits.shape[0]), Int32(logits.shape[1]), $0.baseAddress!) }
    return y
}
