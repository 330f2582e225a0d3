/// A learned lookup table S [V, E]: row i is the embedding of token i, equal to onehot(i) · S.
/// Named like PyTorch's `nn.Embedding` (`<prefix>.weight`). Initialized uniform in ±`initBound`
/// (0.1 as in pytorch/examples' word_language_model).
public struct Embedding {
    public let store: ParameterStore
    public let weight: Parameter
    public let vocabularySize: Int
    public let dimension: Int

    /// Registers `<prefix>.weight` [V, E] in `store`.
    public init(vocabularySize: Int, dimension: Int, prefix: String, store: ParameterStore,
                rng: inout SplitMix64, initBound: Float = 0.1) {
        self.store = store
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        weight = store.add("\(prefix).weight", shape: [vocabularySize, dimension], uniformBound: initBound, rng: &rng)
    }

    /// ids [N] → embeddings [N, E]. Reshape to [T, B, E] for a recurrent layer.
    public func forward(_ ids: [Int32]) -> Tensor {
        var y = Tensor(zeros: [ids.count, dimension])
        y.data.withUnsafeMutableBufferPointer { forward(y: $0.baseAddress!, ids: ids) }
        return y
    }

    /// Raw form: y (N, E) = rows of S.
    public func forward(y: UnsafeMutablePointer<Float>, ids: [Int32]) {
        let s = store.value(weight)
        for (n, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < vocabularySize, "token id \(id) outside vocabulary of \(vocabularySize)")
            (y + n * dimension).update(from: s + Int(id) * dimension, count: dimension)
        }
    }

    /// dy [N, E] → adds row n of dy into row ids[n] of dS. Rows whose `mask` is 0 are skipped.
    public func backward(_ dy: Tensor, ids: [Int32], mask: [Float]? = nil) {
        precondition(dy.shape == [ids.count, dimension], "Embedding backward: dy \(dy.shape) for \(ids.count) ids")
        dy.data.withUnsafeBufferPointer { backward(dy: $0.baseAddress!, ids: ids, mask: mask) }
    }

    /// Raw form of `backward`.
    public func backward(dy: UnsafePointer<Float>, ids: [Int32], mask: [Float]? = nil) {
        let g = store.gradient(weight)
        for (n, id) in ids.enumerated() {
            if let mask, mask[n] == 0 { continue }
            let row = g + Int(id) * dimension
            let d = dy + n * dimension
            for j in 0..<dimension { row[j] += d[j] }
        }
    }
}
