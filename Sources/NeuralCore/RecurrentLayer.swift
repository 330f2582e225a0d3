import CBLAS

/// Buffers one direction of one recurrent layer keeps between forward and backward, reused across
/// calls (sized by the first call, grown when T or B grow). Shapes in comments; G gates.
public final class RecurrentLayerCache {
    var steps = 0, batch = 0
    var input: UnsafePointer<Float>?      // (T, B, in), owned by the stack's cache
    let gates = FloatBuffer()             // (T, B, G·H) activated gates (Elman: unused)
    let hiddenProjection = FloatBuffer()  // (T, B, 3H) GRU: W_hh h (+ b_hn in the n third)
    let hPrev = FloatBuffer()             // (T, B, H) state before each time step
    let hOut = FloatBuffer()              // (T, B, H) state after each time step
    let cPrev = FloatBuffer()             // (T, B, H) LSTM
    let cOut = FloatBuffer()              // (T, B, H) LSTM
    let tanhC = FloatBuffer()             // (T, B, H) LSTM tanh(c)
    let packedHH = FloatBuffer()          // (H, G·H) W_hhᵀ for the per-step product (in panels when frozen)
    let packedIH = FloatBuffer()          // (in, G·H) W_ihᵀ in panels, kept only when `freezesWeights`
    var packedFrozen = false
    /// Set by a caller that runs many short calls (a decoder stepping one token at a time) on weights
    /// that do not change while this cache lives: W_ihᵀ and W_hhᵀ are then laid out once, on the
    /// first call (in panels, `layOutPanels`), and every later call multiplies them without repacking.
    public let freezesWeights: Bool
    var inactive: [[Int]] = []            // per time step, the batch rows past their length
    // backward workspaces
    let dGates = FloatBuffer()            // (T, B, G·H) gradient on the input-projection pre-activations
    let dHidden = FloatBuffer()           // (T, B, 3H) GRU gradient on the hidden projection
    let dh = FloatBuffer(), dc = FloatBuffer(), scratch = FloatBuffer(), saved = FloatBuffer() // (B, H)

    public init(freezesWeights: Bool = false) { self.freezesWeights = freezesWeights }
}

/// One direction of one layer of an Elman / LSTM / GRU network, with PyTorch's names and layout:
/// `weight_ih_l{k}[_reverse]` [G·H, in], `weight_hh_l{k}` [G·H, H], `bias_ih_l{k}` [G·H],
/// `bias_hh_l{k}` [G·H]. Input projections for all T steps are one GEMM; each step does one
/// [B, H]·[H, G·H] GEMM and a fused element-wise kernel; nothing is allocated per step.
public struct RecurrentLayer {
    public let store: ParameterStore
    public let cell: RecurrentCell
    public let inputSize: Int
    public let hiddenSize: Int
    /// Runs from t = T−1 down to 0 (the backward direction of a bidirectional layer).
    public let reverse: Bool
    public let weightIH: Parameter, weightHH: Parameter, biasIH: Parameter, biasHH: Parameter

    /// Registers `<prefix>.weight_ih_<suffix>` etc. (suffix e.g. "l0" or "l0_reverse"),
    /// initialized uniformly in ±1/√H as PyTorch does.
    public init(cell: RecurrentCell, inputSize: Int, hiddenSize: Int, reverse: Bool = false,
                prefix: String, suffix: String, store: ParameterStore, rng: inout SplitMix64) {
        self.store = store
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.reverse = reverse
        let gh = cell.gates * hiddenSize
        let bound = 1 / Float(hiddenSize).squareRoot()
        let dot = prefix.isEmpty ? "" : prefix + "."
        weightIH = store.add("\(dot)weight_ih_\(suffix)", shape: [gh, inputSize], uniformBound: bound, rng: &rng)
        weightHH = store.add("\(dot)weight_hh_\(suffix)", shape: [gh, hiddenSize], uniformBound: bound, rng: &rng)
        biasIH = store.add("\(dot)bias_ih_\(suffix)", shape: [gh], uniformBound: bound, rng: &rng)
        biasHH = store.add("\(dot)bias_hh_\(suffix)", shape: [gh], uniformBound: bound, rng: &rng)
    }

    /// Runs the layer over x (T, B, in). h0, c0 (B, H) may be nil for zeros. Writes the outputs to
    /// y (T, B, ·) with row stride `ldy` (rows past a sequence's length are 0), the final state to
    /// hN, cN (B, H). With `lengths`, batch row b only advances for t < lengths[b] (its state is
    /// carried unchanged past its end, as PyTorch's packed sequences behave). `x` must stay valid
    /// until `backward` has run.
    public func forward(x: UnsafePointer<Float>, steps T: Int, batch B: Int, lengths: [Int]?,
                        h0: UnsafePointer<Float>?, c0: UnsafePointer<Float>?,
                        y: UnsafeMutablePointer<Float>, ldy: Int,
                        hN: UnsafeMutablePointer<Float>, cN: UnsafeMutablePointer<Float>?,
                        cache: RecurrentLayerCache) {
        let H = hiddenSize, G = cell.gates, GH = G * H, BH = B * H
        cache.steps = T
        cache.batch = B
        cache.input = x
        let lstm = cell == .lstm, gru = cell == .gru
        let wih = store.value(weightIH), whh = store.value(weightHH)
        let gates = cache.gates.reserve(T * B * GH)
        let hPrev = cache.hPrev.reserve(T * BH), hOut = cache.hOut.reserve(T * BH)
        let cPrev = lstm ? cache.cPrev.reserve(T * BH) : hPrev
        let cOut = lstm ? cache.cOut.reserve(T * BH) : hOut
        let tanhC = lstm ? cache.tanhC.reserve(T * BH) : hOut
        let hproj = gru ? cache.hiddenProjection.reserve(T * B * GH) : gates
        cache.inactive = (0..<T).map { t in lengths.map { l in (0..<B).filter { t >= l[$0] } } ?? [] }

        // A cache of frozen weights (see `freezesWeights`) lays out W_ihᵀ and W_hhᵀ on its first call
        // and keeps them.
        let frozen = cache.freezesWeights && smallProductKernelAvailable
        let laidOut = frozen && cache.packedFrozen
        if frozen && !laidOut {
            layOutPanels(n: GH, k: inputSize, wih, into: cache.packedIH.reserve(panelCount(n: GH, k: inputSize)))
            layOutPanels(n: GH, k: H, whh, into: cache.packedHH.reserve(panelCount(n: GH, k: H)))
        }

        // Input projection for all T·B rows in one GEMM, biases folded in (GRU keeps b_hh apart).
        if frozen {
            panelGemm(m: T * B, n: GH, k: inputSize, a: x, lda: inputSize, panels: cache.packedIH.pointer,
                      accumulate: false, c: gates, ldc: GH)
        } else {
            gemm(transposeA: false, transposeB: true, m: T * B, n: GH, k: inputSize,
                 a: x, lda: inputSize, b: wih, ldb: inputSize, beta: 0, c: gates, ldc: GH)
        }
        VectorMath.addRows(gates, bias: store.value(biasIH), rows: T * B, columns: GH)
        if !gru { VectorMath.addRows(gates, bias: store.value(biasHH), rows: T * B, columns: GH) }

        // The per-step product h·W_hhᵀ runs as h · (W_hhᵀ) on the small-product kernel, with W_hhᵀ
        // laid out once per sequence (or kept by a frozen cache); for a few steps on changing weights
        // the transpose would cost more than it saves, and OpenBLAS multiplies by W_hhᵀ in place.
        let packed: UnsafeMutablePointer<Float>? = !frozen && smallProductKernelAvailable && T >= 4 ? cache.packedHH.reserve(H * GH) : nil
        if let packed { glossa_transpose(Int32(GH), Int32(H), whh, Int32(H), packed, Int32(GH)) }
        cache.packedFrozen = frozen
        /// c (B, n) (+)= h (B, H) · W_hhᵀ (H, n)
        func hiddenProduct(_ h: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, n: Int, accumulate: Bool) {
            if frozen {
                panelGemm(m: B, n: n, k: H, a: h, lda: H, panels: cache.packedHH.pointer, accumulate: accumulate, c: c, ldc: n)
            } else if let packed {
                smallGemm(m: B, n: n, k: H, a: h, lda: H, b: packed, ldb: n, accumulate: accumulate, c: c, ldc: n)
            } else {
                gemm(transposeA: false, transposeB: true, m: B, n: n, k: H, a: h, lda: H, b: whh, ldb: H,
                     beta: accumulate ? 1 : 0, c: c, ldc: n)
            }
        }

        var last = -1
        for s in 0..<T {
            let t = reverse ? T - 1 - s : s
            let hp = hPrev + t * BH, ho = hOut + t * BH, g = gates + t * B * GH
            if last < 0 {
                if let h0 { hp.update(from: h0, count: BH) } else { hp.update(repeating: 0, count: BH) }
                if lstm { if let c0 { (cPrev + t * BH).update(from: c0, count: BH) } else { (cPrev + t * BH).update(repeating: 0, count: BH) } }
            } else {
                hp.update(from: hOut + last * BH, count: BH)
                if lstm { (cPrev + t * BH).update(from: cOut + last * BH, count: BH) }
            }
            switch cell {
            case .lstm:
                hiddenProduct(hp, g, n: GH, accumulate: true)
                glossa_lstm_forward(Int32(B), Int32(H), g, cPrev + t * BH, cOut + t * BH, tanhC + t * BH, ho)
            case .gru:
                let hg = hproj + t * B * GH
                hiddenProduct(hp, hg, n: GH, accumulate: false)
                glossa_gru_forward(Int32(B), Int32(H), g, hg, store.value(biasHH), hp, ho)
            default:
                hiddenProduct(hp, g, n: H, accumulate: true)
                glossa_activation_forward(cell.elmanActivation!.rawValue, Int32(BH), g)
                ho.update(from: g, count: BH)
            }
            for b in cache.inactive[t] {
                (ho + b * H).update(from: hp + b * H, count: H)
                if lstm { (cOut + t * BH + b * H).update(from: cPrev + t * BH + b * H, count: H) }
            }
            for b in 0..<B { (y + (t * B + b) * ldy).update(from: ho + b * H, count: H) }
            for b in cache.inactive[t] { (y + (t * B + b) * ldy).update(repeating: 0, count: H) }
            last = t
        }
        if last < 0 {
            if let h0 { hN.update(from: h0, count: BH) } else { hN.update(repeating: 0, count: BH) }
            if let cN { if let c0 { cN.update(from: c0, count: BH) } else { cN.update(repeating: 0, count: BH) } }
        } else {
            hN.update(from: hOut + last * BH, count: BH)
            if let cN, lstm { cN.update(from: cOut + last * BH, count: BH) }
        }
    }

    /// Backward through the sequence the cache holds. dy (T, B, ·) with row stride `ldy` is the
    /// gradient on the outputs (nil for none), dhN, dcN (B, H) on the final state (nil for none).
    /// Adds into the four parameter gradients; writes dx (T, B, in) (adds when `accumulate`) and
    /// dh0, dc0 (B, H), the gradients on the initial state.
    public func backward(dy: UnsafePointer<Float>?, ldy: Int, dhN: UnsafePointer<Float>?, dcN: UnsafePointer<Float>?,
                         cache: RecurrentLayerCache, dx: UnsafeMutablePointer<Float>?, accumulate: Bool,
                         dh0: UnsafeMutablePointer<Float>, dc0: UnsafeMutablePointer<Float>?) {
        let T = cache.steps, B = cache.batch
        let H = hiddenSize, G = cell.gates, GH = G * H, BH = B * H
        let lstm = cell == .lstm, gru = cell == .gru
        let whh = store.value(weightHH)
        let gates = cache.gates.pointer, hproj = cache.hiddenProjection.pointer
        let hPrev = cache.hPrev.pointer, hOut = cache.hOut.pointer
        let cPrev = cache.cPrev.pointer, tanhC = cache.tanhC.pointer
        let dG = cache.dGates.reserve(T * B * GH)
        let dHG = gru ? cache.dHidden.reserve(T * B * GH) : dG
        var dh = cache.dh.reserve(BH), tmp = cache.scratch.reserve(BH)
        let dc = cache.dc.reserve(BH), saved = cache.saved.reserve(BH)
        if let dhN { dh.update(from: dhN, count: BH) } else { dh.update(repeating: 0, count: BH) }
        if lstm { if let dcN { dc.update(from: dcN, count: BH) } else { dc.update(repeating: 0, count: BH) } }

        for s in stride(from: T - 1, through: 0, by: -1) {
            let t = reverse ? T - 1 - s : s
            let inactive = cache.inactive[t]
            if let dy {
                var next = 0
                for b in 0..<B {
                    if next < inactive.count && inactive[next] == b { next += 1; continue }
                    let d = dh + b * H, src = dy + (t * B + b) * ldy
                    for j in 0..<H { d[j] += src[j] }
                }
            }
            let g = gates + t * B * GH, dg = dG + t * B * GH
            switch cell {
            case .lstm:
                for b in inactive { (saved + b * H).update(from: dc + b * H, count: H) }
                glossa_lstm_backward(Int32(B), Int32(H), g, cPrev + t * BH, tanhC + t * BH, dh, dc, dg)
                for b in inactive {
                    (dc + b * H).update(from: saved + b * H, count: H)
                    (dg + b * GH).update(repeating: 0, count: GH)
                }
                smallGemm(m: B, n: H, k: GH, a: dg, lda: GH, b: whh, ldb: H, accumulate: false, c: tmp, ldc: H)
            case .gru:
                let dhg = dHG + t * B * GH
                glossa_gru_backward(Int32(B), Int32(H), g, hproj + t * B * GH, hPrev + t * BH, dh, dg, dhg, tmp)
                for b in inactive {
                    (dg + b * GH).update(repeating: 0, count: GH)
                    (dhg + b * GH).update(repeating: 0, count: GH)
                }
                smallGemm(m: B, n: H, k: GH, a: dhg, lda: GH, b: whh, ldb: H, accumulate: true, c: tmp, ldc: H)
            default:
                glossa_activation_backward(cell.elmanActivation!.rawValue, Int32(BH), hOut + t * BH, dh, dg)
                for b in inactive { (dg + b * GH).update(repeating: 0, count: GH) }
                smallGemm(m: B, n: H, k: GH, a: dg, lda: GH, b: whh, ldb: H, accumulate: false, c: tmp, ldc: H)
            }
            for b in inactive { (tmp + b * H).update(from: dh + b * H, count: H) }
            swap(&dh, &tmp)
        }
        dh0.update(from: dh, count: BH)
        if let dc0, lstm { dc0.update(from: dc, count: BH) }
        if T == 0 { return }

        // Whole-sequence weight gradients: one GEMM each over all T·B rows.
        let x = cache.input!
        gemm(transposeA: true, transposeB: false, m: GH, n: H, k: T * B, a: dHG, lda: GH, b: hPrev, ldb: H,
             beta: 1, c: store.gradient(weightHH), ldc: H)
        gemm(transposeA: true, transposeB: false, m: GH, n: inputSize, k: T * B, a: dG, lda: GH, b: x, ldb: inputSize,
             beta: 1, c: store.gradient(weightIH), ldc: inputSize)
        VectorMath.sumRows(dG, into: store.gradient(biasIH), rows: T * B, columns: GH)
        VectorMath.sumRows(dHG, into: store.gradient(biasHH), rows: T * B, columns: GH)
        if let dx {
            gemm(transposeA: false, transposeB: false, m: T * B, n: inputSize, k: GH, a: dG, lda: GH,
                 b: store.value(weightIH), ldb: inputSize, beta: accumulate ? 1 : 0, c: dx, ldc: inputSize)
        }
    }
}
