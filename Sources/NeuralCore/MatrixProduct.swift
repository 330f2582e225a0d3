import CBLAS
import Dispatch

/// C := alpha · op(A) · op(B) + beta · C on raw row-major buffers, through `glossa_sgemm`
/// (OpenBLAS). op(A) is M×K, op(B) is K×N, C is M×N; `lda`, `ldb`, `ldc` are row strides.
@inline(__always)
public func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        else if beta != 1 { for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } } }
        return
    }
    glossa_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k),
                 alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Matrix product of rank-2 tensors: op(a) · op(b), op = transpose when asked.
/// a [M, K] (or [K, M] transposed), b [K, N] (or [N, K] transposed) → [M, N].
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(k == kb, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    var c = Tensor(zeros: [m, n])
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            c.data.withUnsafeMutableBufferPointer { pc in
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                     a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1],
                     beta: 0, c: pc.baseAddress!, ldc: n)
            }
        }
    }
    return c
}

/// Threads OpenBLAS uses for large products (both cores by default).
public enum BlasThreads {
    public static var count: Int {
        get { Int(glossa_blas_threads()) }
        set { glossa_blas_set_threads(Int32(newValue)) }
    }
}

/// Whether the AVX-512 small-product kernel runs on this CPU (else OpenBLAS does the work).
public let smallProductKernelAvailable = glossa_has_avx512() != 0

/// C (M×N) = A (M×K) · B (K×N) (+ C when `accumulate`) for small M — the per-time-step products of a
/// recurrent layer (M = B rows). Uses the AVX-512 kernel in CBLAS, split by columns over both cores
/// when the product is large; falls back to OpenBLAS otherwise.
@inline(__always)
public func smallGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard smallProductKernelAvailable, m <= 64 else {
        gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
             beta: accumulate ? 1 : 0, c: c, ldc: ldc)
        return
    }
    let acc: Int32 = accumulate ? 1 : 0
    if m * n * k >= smallGemmParallelThreshold && n >= 128 && neuralCoreUsesBothCores {
        let half = (n / 2 + 63) / 64 * 64
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            let lo = part == 0 ? 0 : half, hi = part == 0 ? half : n
            _ = glossa_gemm_small_nn(Int32(m), Int32(hi - lo), Int32(k), a, Int32(lda), b + lo, Int32(ldb), acc, c + lo, Int32(ldc))
        }
    } else {
        _ = glossa_gemm_small_nn(Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), acc, c, Int32(ldc))
    }
}

/// Multiply-adds (M·N·K) above which `smallGemm` uses both cores.
nonisolated(unsafe) public var smallGemmParallelThreshold = 4_000_000
