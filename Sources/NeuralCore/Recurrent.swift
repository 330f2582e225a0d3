/// Everything a `Recurrent` forward keeps for its backward, reusable across calls: pass the cache
/// of the previous batch back in (`reusing:`) and nothing is allocated once sizes settle.
public final class RecurrentCache {
    var layerCaches: [[RecurrentLayerCache]] = []
    var layerInputs: [FloatBuffer] = []   // per layer: (T, B, in_l); layer 0 a copy of x
    var dropoutMasks: [FloatBuffer] = []  // per layer l < L−1: (T, B, D·H), 0 or 1/(1−p)
    var usedDropout = false
    var steps = 0, batch = 0
    let gradA = FloatBuffer(), gradB = FloatBuffer()

    /// An empty cache; sized by the first forward that uses it.
    public init() {}
}

/// A multi-layer, optionally bidirectional Elman / LSTM / GRU network over time-major input,
/// equivalent to PyTorch's `nn.RNN` / `nn.LSTM` / `nn.GRU(inputSize, hiddenSize, numLayers,
/// bidirectional:, dropout:)` and with the same parameter names under `prefix` (e.g. "rnn" →
/// `rnn.weight_ih_l0`, `rnn.weight_hh_l0_reverse`, …). Layer k > 0 reads the D·H outputs of layer
/// k − 1; `dropout` (training only) is applied between layers as PyTorch does.
///
/// Whole sequences: `forward(x [T, B, in])`. One step at a time (an attention decoder): call
/// `forward` with T = 1 and the previous state, keeping each step's cache for the backward pass.
public struct Recurrent {
    public let cell: RecurrentCell
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bidirectional: Bool
    public let dropout: Float
    /// layers[k][d]: layer k, direction d (0 forward, 1 reverse).
    public let layers: [[RecurrentLayer]]

    /// D: 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }
    /// Width of each output row, D·H.
    public var outputSize: Int { directions * hiddenSize }

    /// Registers L·D × 4 parameters under `prefix` (PyTorch's names), uniform in ±1/√H.
    public init(cell: RecurrentCell, inputSize: Int, hiddenSize: Int, numLayers: Int = 1,
                bidirectional: Bool = false, dropout: Float = 0, prefix: String,
                store: ParameterStore, rng: inout SplitMix64) {
        precondition(numLayers >= 1 && hiddenSize >= 1 && inputSize >= 1)
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)")
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bidirectional = bidirectional
        self.dropout = dropout
        let d = bidirectional ? 2 : 1
        layers = (0..<numLayers).map { k in
            (0..<d).map { dir in
                RecurrentLayer(cell: cell, inputSize: k == 0 ? inputSize : d * hiddenSize, hiddenSize: hiddenSize,
                               reverse: dir == 1, prefix: prefix, suffix: "l\(k)" + (dir == 1 ? "_reverse" : ""),
                               store: store, rng: &rng)
            }
        }
    }

    /// Evaluation forward (no dropout). x [T, B, in]; initial state [L·D, B, H] (nil for zeros);
    /// lengths [B] (nil when every row has T steps) → output [T, B, D·H], final state, cache.
    public func forward(_ x: Tensor, initial: RecurrentState? = nil, lengths: [Int]? = nil,
                        reusing cache: RecurrentCache? = nil) -> (output: Tensor, final: RecurrentState, cache: RecurrentCache) {
        run(x, initial: initial, lengths: lengths, key: nil, cache: cache ?? RecurrentCache())
    }

    /// Training forward: like `forward`, with inter-layer dropout; the mask after layer k is drawn
    /// at site `key.site + k` (see `DropoutKey`), row (t, b) of (T, B, D·H).
    public func forward(_ x: Tensor, initial: RecurrentState? = nil, lengths: [Int]? = nil,
                        training key: DropoutKey,
                        reusing cache: RecurrentCache? = nil) -> (output: Tensor, final: RecurrentState, cache: RecurrentCache) {
        run(x, initial: initial, lengths: lengths, key: key, cache: cache ?? RecurrentCache())
    }

    private func run(_ x: Tensor, initial: RecurrentState?, lengths: [Int]?, key: DropoutKey?,
                     cache: RecurrentCache) -> (output: Tensor, final: RecurrentState, cache: RecurrentCache) {
        precondition(x.rank == 3 && x.shape[2] == inputSize, "\(cell.rawValue) expects [T, B, \(inputSize)], got \(x.shape)")
        let T = x.shape[0], B = x.shape[1], H = hiddenSize, D = directions, L = numLayers, BH = B * H
        if let initial {
            precondition(initial.h.shape == [L * D, B, H], "initial h \(initial.h.shape), expected \([L * D, B, H])")
            if cell.hasCellState {
                precondition(initial.c?.shape == [L * D, B, H], "initial c missing or not \([L * D, B, H])")
            }
        }
        if let lengths {
            precondition(lengths.count == B && lengths.allSatisfy { $0 >= 0 && $0 <= T }, "lengths \(lengths) for T=\(T), B=\(B)")
        }
        if cache.layerCaches.count != L || cache.layerCaches[0].count != D {
            cache.layerCaches = (0..<L).map { _ in (0..<D).map { _ in RecurrentLayerCache() } }
            cache.layerInputs = (0..<L).map { _ in FloatBuffer() }
            cache.dropoutMasks = (0..<L).map { _ in FloatBuffer() }
        }
        cache.steps = T
        cache.batch = B
        let drop = key != nil && dropout > 0
        cache.usedDropout = drop
        var output = Tensor(zeros: [T, B, D * H])
        var final = RecurrentState(zerosFor: cell, slots: L * D, batch: B, hidden: H)
        let input0 = cache.layerInputs[0].reserve(max(x.count, 1))
        x.data.withUnsafeBufferPointer { input0.update(from: $0.baseAddress!, count: x.count) }
        output.data.withUnsafeMutableBufferPointer { out in
            final.h.data.withUnsafeMutableBufferPointer { hN in
                withOptionalPointer(&final.c) { cN in
                    withOptionalPointer(initial?.h) { h0 in
                        withOptionalPointer(initial?.c) { c0 in
                            for k in 0..<L {
                                let inp = cache.layerInputs[k].pointer
                                let y = k == L - 1 ? out.baseAddress! : cache.layerInputs[k + 1].reserve(max(T * B * D * H, 1))
                                for d in 0..<D {
                                    let slot = (k * D + d) * BH
                                    layers[k][d].forward(x: inp, steps: T, batch: B, lengths: lengths,
                                                         h0: h0.map { $0 + slot }, c0: c0.map { $0 + slot },
                                                         y: y + d * H, ldy: D * H, hN: hN.baseAddress! + slot,
                                                         cN: cN.map { $0 + slot }, cache: cache.layerCaches[k][d])
                                }
                                if drop && k < L - 1 {
                                    let n = T * B * D * H
                                    let mask = cache.dropoutMasks[k].reserve(max(n, 1))
                                    key!.at(site: key!.site + k).fill(mask, steps: T, batch: B, width: D * H, rate: dropout)
                                    for i in 0..<n { y[i] *= mask[i] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, final, cache)
    }

    /// Backward through the sequence `cache` holds. dOutput [T, B, D·H] (nil when only the final
    /// state was used), dFinal [L·D, B, H] (nil when the final state was not used). Adds into the
    /// parameter gradients; returns dInput [T, B, in] and the gradient on the initial state.
    public func backward(_ dOutput: Tensor?, dFinal: RecurrentState? = nil,
                         cache: RecurrentCache) -> (dInput: Tensor, dInitial: RecurrentState) {
        let T = cache.steps, B = cache.batch, H = hiddenSize, D = directions, L = numLayers, BH = B * H
        if let dOutput { precondition(dOutput.shape == [T, B, D * H], "dOutput \(dOutput.shape), expected \([T, B, D * H])") }
        if let dFinal { precondition(dFinal.h.shape == [L * D, B, H], "dFinal h \(dFinal.h.shape), expected \([L * D, B, H])") }
        var dInput = Tensor(zeros: [T, B, inputSize])
        var dInitial = RecurrentState(zerosFor: cell, slots: L * D, batch: B, hidden: H)
        let width = max(T * B * max(inputSize, D * H), 1)
        var current = cache.gradA.reserve(width), next = cache.gradB.reserve(width)
        if let dOutput {
            dOutput.data.withUnsafeBufferPointer { current.update(from: $0.baseAddress!, count: dOutput.count) }
        } else {
            current.update(repeating: 0, count: T * B * D * H)
        }
        dInput.data.withUnsafeMutableBufferPointer { dIn in
            dInitial.h.data.withUnsafeMutableBufferPointer { dh0 in
                withOptionalPointer(&dInitial.c) { dc0 in
                    withOptionalPointer(dFinal?.h) { dhN in
                        withOptionalPointer(dFinal?.c) { dcN in
                            for k in stride(from: L - 1, through: 0, by: -1) {
                                let inSize = k == 0 ? inputSize : D * H
                                let dx = k == 0 ? dIn.baseAddress! : next
                                dx.update(repeating: 0, count: T * B * inSize)
                                for d in 0..<D {
                                    let slot = (k * D + d) * BH
                                    layers[k][d].backward(dy: current + d * H, ldy: D * H,
                                                          dhN: dhN.map { $0 + slot }, dcN: dcN.map { $0 + slot },
                                                          cache: cache.layerCaches[k][d], dx: dx, accumulate: true,
                                                          dh0: dh0.baseAddress! + slot, dc0: dc0.map { $0 + slot })
                                }
                                if k > 0 {
                                    if cache.usedDropout {
                                        let mask = cache.dropoutMasks[k - 1].pointer
                                        for i in 0..<(T * B * D * H) { next[i] *= mask[i] }
                                    }
                                    swap(&current, &next)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dInput, dInitial)
    }
}

/// Calls `body` with a pointer to the tensor's elements, or nil.
@inline(__always)
func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Calls `body` with a mutable pointer to the tensor's elements, or nil.
@inline(__always)
func withOptionalPointer<R>(_ t: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard t != nil else { return body(nil) }
    return t!.data.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
