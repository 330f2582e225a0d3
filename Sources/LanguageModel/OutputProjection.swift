import NeuralCore

/// The decoder of a language model, logits = x · Wᵀ + b with W [V, H] and b [V]: NeuralCore's
/// `Linear` (`decoder.weight`, `decoder.bias`), or — with tied weights — W read from the encoder's
/// `encoder.weight` [V, E = H], whose gradient then collects both uses.
public enum OutputProjection {
    case linear(Linear)
    case tied(weight: Parameter, bias: Parameter, store: ParameterStore)

    /// Registers `decoder.bias` (and `decoder.weight` unless `tiedTo` names the embedding's weight).
    init(inputSize: Int, outputSize: Int, tiedTo embedding: Parameter?, store: ParameterStore, rng: inout SplitMix64) {
        if let embedding {
            precondition(embedding.shape == [outputSize, inputSize], "tied weight \(embedding.shape) for [\(outputSize), \(inputSize)]")
            let bound = 1 / Float(inputSize).squareRoot()
            let bias = store.add("decoder.bias", shape: [outputSize], uniformBound: bound, rng: &rng)
            self = .tied(weight: embedding, bias: bias, store: store)
        } else {
            self = .linear(Linear(inputSize: inputSize, outputSize: outputSize, prefix: "decoder", store: store, rng: &rng))
        }
    }

    /// W [V, H], the decoder's own or the embedding's.
    public var weight: Parameter {
        switch self {
        case .linear(let l): return l.weight
        case .tied(let w, _, _): return w
        }
    }

    /// b [V].
    public var bias: Parameter {
        switch self {
        case .linear(let l): return l.bias!
        case .tied(_, let b, _): return b
        }
    }

    /// y (rows, V) = x (rows, H) · Wᵀ + b.
    public func forward(y: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, rows: Int) {
        switch self {
        case .linear(let l):
            l.forward(y: y, x: x, rows: rows)
        case .tied(let w, let b, let store):
            let (v, h) = (w.shape[0], w.shape[1])
            gemm(transposeA: false, transposeB: true, m: rows, n: v, k: h, a: x, lda: h, b: store.value(w), ldb: h,
                 beta: 0, c: y, ldc: v)
            VectorMath.addRows(y, bias: store.value(b), rows: rows, columns: v)
        }
    }

    /// dW += dyᵀ · x, db += Σ_rows dy, dx (rows, H) = dy · W.
    public func backward(dx: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, x: UnsafePointer<Float>, rows: Int) {
        switch self {
        case .linear(let l):
            l.backward(dx: dx, dy: dy, x: x, rows: rows)
        case .tied(let w, let b, let store):
            let (v, h) = (w.shape[0], w.shape[1])
            gemm(transposeA: true, transposeB: false, m: v, n: h, k: rows, a: dy, lda: v, b: x, ldb: h,
                 beta: 1, c: store.gradient(w), ldc: h)
            VectorMath.sumRows(dy, into: store.gradient(b), rows: rows, columns: v)
            gemm(transposeA: false, transposeB: false, m: rows, n: h, k: v, a: dy, lda: v, b: store.value(w), ldb: h,
                 beta: 0, c: dx, ldc: h)
        }
    }
}
