/// A dense Float32 array with a shape, stored row-major (the last index varies fastest).
/// Shape legend used throughout NeuralCore: B batch, T time, S source length, E embedding,
/// H hidden, V vocabulary, G gates (4 LSTM, 3 GRU, 1 Elman), N rows (often T·B).
///
/// A value type: copies share storage until one is written (Swift arrays' copy on write).
public struct Tensor: Equatable, Sendable, CustomStringConvertible {
    /// The extent of each dimension.
    public private(set) var shape: [Int]
    /// The elements, row-major; `data.count == shape.reduce(1, *)`.
    public var data: [Float]

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.data = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// A tensor with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        self.shape = shape
        self.data = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor holding `data` with the given shape; the counts must agree.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
        self.shape = shape
        self.data = data
    }

    /// Uniform in [-bound, bound).
    public init(shape: [Int], uniformBound bound: Float, rng: inout SplitMix64) {
        self.init(zeros: shape)
        for i in data.indices { data[i] = rng.nextUniform(bound: bound) }
    }

    /// Number of elements.
    public var count: Int { data.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Row-major offset of a multi-index.
    @inlinable public func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var o = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(index) out of shape \(shape)")
            o = o * n + i
        }
        return o
    }

    /// Element at a multi-index, e.g. `t[b, j]`.
    public subscript(_ index: Int...) -> Float {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    /// The same elements with another shape of equal count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }

    /// Rows `range` of the first dimension, as a new tensor.
    public func slice(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0])
        let inner = count / max(shape[0], 1)
        var s = shape
        s[0] = range.count
        return Tensor(shape: s, data: Array(data[range.lowerBound * inner ..< range.upperBound * inner]))
    }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) -> Tensor {
        Tensor(shape: shape, data: data.map { $0 * factor })
    }

    /// Largest absolute element-wise difference to `other` (shapes must agree).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "shapes \(shape) and \(other.shape) differ")
        var m: Float = 0
        for i in data.indices { m = max(m, abs(data[i] - other.data[i])) }
        return m
    }

    public var description: String {
        let head = data.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(\(shape), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
