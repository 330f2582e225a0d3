import CBLAS
import Dispatch

/// argmax_j (x·Wᵀ + b)_j for each row x of a batch, for a `Linear` layer whose weights do not change
/// while this lives (greedy decoding's output layer): the index of the largest logit, skipping
/// `excluded` indices, the lowest index on ties. The logits are those of `smallGemm` against Wᵀ
/// plus b, so the answer is the argmax of the full product; on CPUs with AVX-512 BF16 it is found
/// without that product (CBLAS's glossa_argmax_screen.c: bfloat16 scores with a proven error bound,
/// then fp32 only for the columns the bound cannot rule out; 2–4× faster), elsewhere by the full
/// product. Shapes: x (rows, in), in = `layer.inputSize`, out = `layer.outputSize`. Not for use by
/// two threads at once (it keeps scratch buffers).
public final class LinearArgmax {
    let layer: Linear
    let screen: OpaquePointer?
    /// Wᵀ (in, out) for the full product when there is no screen.
    let transposed: FloatBuffer
    let scores = FloatBuffer()
    var pairs: [UInt32] = []

    public init(_ layer: Linear) {
        self.layer = layer
        let V = layer.outputSize, K = layer.inputSize
        screen = glossa_argmax_screen_make(Int32(V), Int32(K), layer.store.value(layer.weight))
        transposed = FloatBuffer(capacity: screen == nil ? V * K : 0)
        if screen == nil { glossa_transpose(Int32(V), Int32(K), layer.store.value(layer.weight), Int32(K), transposed.pointer, Int32(V)) }
    }

    deinit { glossa_argmax_screen_free(screen) }

    /// Columns the screen computed in fp32 over every call so far (a measure of how well it screens).
    public private(set) var recomputed = 0

    /// The argmax of each of x's `rows` rows (row stride `layer.inputSize`).
    public func argmax(_ x: UnsafePointer<Float>, rows: Int, excluding excluded: [Int32]) -> [Int32] {
        let V = layer.outputSize, K = layer.inputSize
        let bias = layer.bias.map { layer.store.value($0) }
        let y = scores.reserve(rows * V)
        guard let screen else {
            smallGemm(m: rows, n: V, k: K, a: x, lda: K, b: transposed.pointer, ldb: V, accumulate: false, c: y, ldc: V)
            if let bias { VectorMath.addRows(y, bias: bias, rows: rows, columns: V) }
            return (0..<rows).map { argmaxRow(y + $0 * V, columns: V, excluding: excluded) }
        }
        let zeros = bias == nil ? [Float](repeating: 0, count: V) : []
        let pairCount = (K + 1) / 2
        if pairs.count < rows * pairCount { pairs = [UInt32](repeating: 0, count: rows * pairCount) }
        var winners = [Int32](repeating: 0, count: rows)
        zeros.withUnsafeBufferPointer { zeroBias in
        pairs.withUnsafeMutableBufferPointer { xb in
        winners.withUnsafeMutableBufferPointer { out in
            let b = bias.map { UnsafePointer($0) } ?? zeroBias.baseAddress!
            glossa_argmax_screen_convert(screen, Int32(rows), x, Int32(K), xb.baseAddress!)
            let w = layer.store.value(layer.weight)
            /// Scores of rows [r0, r1) over columns [j0, j1) (j0 a multiple of 64).
            func scores(_ r0: Int, _ r1: Int, _ j0: Int, _ j1: Int) {
                glossa_argmax_screen_scores(screen, Int32(r1 - r0), xb.baseAddress! + r0 * pairCount, b, Int32(j0), Int32(j1), y + r0 * V)
            }
            /// The winners of rows [r0, r1); how many columns were computed in fp32.
            func pick(_ r0: Int, _ r1: Int) -> Int {
                Int(excluded.withUnsafeBufferPointer { ex in
                    glossa_argmax_screen_pick(screen, Int32(r1 - r0), x + r0 * K, Int32(K), w, b, y + r0 * V,
                                              Int32(ex.count), ex.baseAddress, out.baseAddress! + r0)
                })
            }
            if !neuralCoreUsesBothCores || V <= 128 {
                scores(0, rows, 0, V)
                recomputed += pick(0, rows)
            } else if rows >= 16 {  // compute-bound: half the rows each, scores and pick
                let middle = rows / 2
                var computed = [0, 0]
                computed.withUnsafeMutableBufferPointer { counts in
                    DispatchQueue.concurrentPerform(iterations: 2) { half in
                        let (r0, r1) = half == 0 ? (0, middle) : (middle, rows)
                        scores(r0, r1, 0, V)
                        counts[half] = pick(r0, r1)
                    }
                }
                recomputed += computed[0] + computed[1]
            } else {  // memory-bound: half of W's panels each, then the picks
                let middle = (V / 2 + 63) / 64 * 64
                DispatchQueue.concurrentPerform(iterations: 2) { half in
                    half == 0 ? scores(0, rows, 0, middle) : scores(0, rows, middle, V)
                }
                recomputed += pick(0, rows)
            }
        }}}
        return winners
    }
}

/// The index of the largest of `columns` values at `row`, skipping `excluded`; the first one on
/// ties (as `torch.argmax`).
func argmaxRow(_ row: UnsafePointer<Float>, columns: Int, excluding excluded: [Int32]) -> Int32 {
    var best = -1, bestValue = -Float.infinity
    for j in 0..<columns where !excluded.contains(Int32(j)) {
        let v = row[j]
        if best < 0 || v > bestValue { best = j; bestValue = v }
    }
    return Int32(best)
}
