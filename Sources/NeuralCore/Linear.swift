/// A fully connected layer y = x · Wᵀ + b, with PyTorch's `nn.Linear` layout and names
/// (`<prefix>.weight` [out, in], `<prefix>.bias` [out]). Initialized like PyTorch: uniform in
/// ±1/√in.
public struct Linear {
    public let store: ParameterStore
    public let weight: Parameter
    public let bias: Parameter?
    public let inputSize: Int
    public let outputSize: Int

    /// Registers `<prefix>.weight` [out, in] and (with `bias`) `<prefix>.bias` [out] in `store`.
    public init(inputSize: Int, outputSize: Int, bias: Bool = true, prefix: String,
                store: ParameterStore, rng: inout SplitMix64) {
        self.store = store
        self.inputSize = inputSize
        self.outputSize = outputSize
        let bound = 1 / Float(inputSize).squareRoot()
        weight = store.add("\(prefix).weight", shape: [outputSize, inputSize], uniformBound: bound, rng: &rng)
        self.bias = bias ? store.add("\(prefix).bias", shape: [outputSize], uniformBound: bound, rng: &rng) : nil
    }

    /// A layer whose weight is an existing parameter [out, in] (weight tying, e.g. the decoder of a
    /// language model sharing `encoder.weight`); gradients from both uses add into it. Registers
    /// only `<prefix>.bias`. When saving, write the shared tensor under both names if PyTorch needs them.
    public init(tiedWeight: Parameter, bias: Bool = true, prefix: String, store: ParameterStore, rng: inout SplitMix64) {
        precondition(tiedWeight.shape.count == 2, "a tied weight must be [out, in], got \(tiedWeight.shape)")
        self.store = store
        outputSize = tiedWeight.shape[0]
        inputSize = tiedWeight.shape[1]
        weight = tiedWeight
        let bound = 1 / Float(inputSize).squareRoot()
        self.bias = bias ? store.add("\(prefix).bias", shape: [outputSize], uniformBound: bound, rng: &rng) : nil
    }

    /// x [N, in] → y [N, out]. The cache is the input itself (keep it for `backward`).
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inputSize, "Linear(\(inputSize)→\(outputSize)) given \(x.shape)")
        var y = Tensor(zeros: [x.shape[0], outputSize])
        x.data.withUnsafeBufferPointer { px in
            y.data.withUnsafeMutableBufferPointer { py in
                forward(y: py.baseAddress!, x: px.baseAddress!, rows: x.shape[0])
            }
        }
        return y
    }

    /// dy [N, out], x [N, in] (the forward input) → dx [N, in]; adds into dW and db.
    public func backward(_ dy: Tensor, input x: Tensor) -> Tensor {
        precondition(dy.shape == [x.shape[0], outputSize] && x.shape[1] == inputSize,
                     "Linear backward: dy \(dy.shape), x \(x.shape)")
        var dx = Tensor(zeros: x.shape)
        x.data.withUnsafeBufferPointer { px in
            dy.data.withUnsafeBufferPointer { pdy in
                dx.data.withUnsafeMutableBufferPointer { pdx in
                    backward(dx: pdx.baseAddress!, dy: pdy.baseAddress!, x: px.baseAddress!, rows: x.shape[0])
                }
            }
        }
        return dx
    }

    /// Raw form: y (rows, out) = x (rows, in) · Wᵀ + b (without b when not `addsBias`: a fused
    /// softmax cross-entropy adds it, see `softmaxCrossEntropyInPlace(biasOf:)`). One GEMM for all rows.
    public func forward(y: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, rows: Int, addsBias: Bool = true) {
        gemm(transposeA: false, transposeB: true, m: rows, n: outputSize, k: inputSize,
             a: x, lda: inputSize, b: store.value(weight), ldb: inputSize, beta: 0, c: y, ldc: outputSize)
        if let bias, addsBias { VectorMath.addRows(y, bias: store.value(bias), rows: rows, columns: outputSize) }
    }

    /// Raw form: dW += dyᵀ · x, db += Σ_rows dy (unless not `addsBiasGradient`: the fused softmax
    /// cross-entropy has added it), and dx = dy · W (+= when `accumulate`), if dx is given.
    public func backward(dx: UnsafeMutablePointer<Float>?, dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
                         rows: Int, accumulate: Bool = false, addsBiasGradient: Bool = true) {
        gemm(transposeA: true, transposeB: false, m: outputSize, n: inputSize, k: rows,
             a: dy, lda: outputSize, b: x, ldb: inputSize, beta: 1, c: store.gradient(weight), ldc: inputSize)
        if let bias, addsBiasGradient { VectorMath.sumRows(dy, into: store.gradient(bias), rows: rows, columns: outputSize) }
        if let dx {
            gemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: outputSize,
                 a: dy, lda: outputSize, b: store.value(weight), ldb: inputSize,
                 beta: accumulate ? 1 : 0, c: dx, ldc: inputSize)
        }
    }
}
