/// The rows of an N × D sparse matrix in compressed-row form: row r's nonzeros are
/// `indices[starts[r] ..< starts[r + 1]]` (ascending) with `values` at the same positions. Column
/// indices are 2 bytes (D ≤ 65,536: the hashed trigram space is 2¹⁴), so a nonzero costs 6 bytes.
public struct SparseRows: Sendable {
    /// D, the number of columns.
    public let dimension: Int
    public internal(set) var starts: [Int]
    public internal(set) var indices: [UInt16]
    public internal(set) var values: [Float]

    public init(dimension: Int, starts: [Int] = [0], indices: [UInt16] = [], values: [Float] = []) {
        precondition(dimension <= 1 << 16, "at most 65,536 columns (2-byte indices)")
        self.dimension = dimension
        self.starts = starts
        self.indices = indices
        self.values = values
    }

    /// Builds rows from (column, value) lists; each list's columns must be distinct.
    public init(dimension: Int, rows: [[(Int, Float)]]) {
        self.init(dimension: dimension)
        for row in rows {
            for (column, value) in row.sorted(by: { $0.0 < $1.0 }) {
                precondition(column >= 0 && column < dimension, "column out of range")
                indices.append(UInt16(column))
                values.append(value)
            }
            starts.append(indices.count)
        }
    }

    /// N, the number of rows.
    public var count: Int { starts.count - 1 }

    /// The squared Euclidean norm of row `row`.
    @inline(__always)
    public func squaredNorm(_ row: Int) -> Float {
        var sum: Float = 0
        for p in starts[row]..<starts[row + 1] { sum += values[p] * values[p] }
        return sum
    }

    /// The dot product of rows `a` and `b` (merge of the two ascending index lists).
    public func dot(_ a: Int, _ b: Int) -> Float {
        var p = starts[a], q = starts[b]
        let pEnd = starts[a + 1], qEnd = starts[b + 1]
        var sum: Float = 0
        while p < pEnd && q < qEnd {
            let i = indices[p], j = indices[q]
            if i == j { sum += values[p] * values[q]; p += 1; q += 1 }
            else if i < j { p += 1 } else { q += 1 }
        }
        return sum
    }

    /// Rows `rows` (in that order) copied side by side into a table of their own, so that a block
    /// split again and again is read from a few contiguous cache lines, not from all over the table.
    /// With `map`, column d becomes column map[d] (≥ 0 for every column the rows use) of a table of
    /// `dimension` columns.
    func gathering(_ rows: [Int], dimension: Int? = nil, map: [Int32]? = nil) -> SparseRows {
        var lengths = [Int](repeating: 0, count: rows.count + 1)
        for (i, row) in rows.enumerated() { lengths[i + 1] = lengths[i] + starts[row + 1] - starts[row] }
        let total = lengths[rows.count]
        // Every element is written below: the arrays are not zeroed first.
        var outValues: [Float] = []
        let outIndices = [UInt16](unsafeUninitializedCapacity: total) { outIndices, initialized in
        outValues = [Float](unsafeUninitializedCapacity: total) { outValues, valuesInitialized in
        starts.withUnsafeBufferPointer { starts in
        indices.withUnsafeBufferPointer { indices in
        values.withUnsafeBufferPointer { values in
        (map ?? []).withUnsafeBufferPointer { map in
            for (i, row) in rows.enumerated() {
                if i + 4 < rows.count { prefetchRow(rows[i + 4], starts, indices, values) }
                let start = starts[row], length = starts[row + 1] - start, q = lengths[i]
                guard length > 0 else { continue }
                (outValues.baseAddress! + q).update(from: values.baseAddress! + start, count: length)
                if map.isEmpty {
                    (outIndices.baseAddress! + q).update(from: indices.baseAddress! + start, count: length)
                } else {
                    for p in 0..<length { outIndices[q + p] = UInt16(map[Int(indices[start + p])]) }
                }
            }
        }}}}
            valuesInitialized = total
        }
            initialized = total
        }
        return SparseRows(dimension: dimension ?? self.dimension, starts: lengths, indices: outIndices, values: outValues)
    }

    /// Row `row` written into a dense vector of length D.
    public func dense(_ row: Int) -> [Float] {
        var out = [Float](repeating: 0, count: dimension)
        for p in starts[row]..<starts[row + 1] { out[Int(indices[p])] = values[p] }
        return out
    }
}
