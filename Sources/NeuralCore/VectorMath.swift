import CBLAS

/// Vectorized element-wise functions over raw buffers (AVX2 + FMA kernels in CBLAS).
/// `y` may equal `x`.
public enum VectorMath {
    /// y = exp(x), relative error ≈ 1e-7.
    @inline(__always) public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        glossa_exp(Int32(count), x, y)
    }
    /// y = tanh(x), absolute error ≈ 1e-7.
    @inline(__always) public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        glossa_tanh(Int32(count), x, y)
    }
    /// y = 1 / (1 + exp(−x)).
    @inline(__always) public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        glossa_sigmoid(Int32(count), x, y)
    }
    /// y = max(x, 0).
    @inline(__always) public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        glossa_relu(Int32(count), x, y)
    }
    /// y (rows, n) += bias (n) on every row.
    @inline(__always) public static func addRows(_ y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, columns: Int) {
        glossa_add_rows(Int32(rows), Int32(columns), y, bias)
    }
    /// sum (n) += column sums of x (rows, n).
    @inline(__always) public static func sumRows(_ x: UnsafePointer<Float>, into sum: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        glossa_sum_rows(Int32(rows), Int32(columns), x, sum)
    }
}
