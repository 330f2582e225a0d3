import CBLAS
import Dispatch

/// C := alpha · op(A) · op(B) + beta · C on raw row-major buffers, through `glossa_sgemm` (Glossa's
/// AVX-512 kernels, or OpenBLAS on other CPUs and under `GLOSSA_GEMM=fallback`). op(A) is M×K,
/// op(B) is K×N, C is M×N; `lda`, `ldb`, `ldc` are row strides; beta = 0 never reads C. On the
/// AVX-512 path a product of at least `gemmParallelThreshold` multiply-adds, or of M ≤ 4 rows against
/// at least 1 MB of op(B), is split over both cores (unless `neuralCoreUsesBothCores` is off); each
/// element of C is summed in the same order either way. OpenBLAS threads itself (`BlasThreads`).
public func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if m == 0 || n == 0 { return }
    /// C[rows, columns] of the product, one thread.
    func part(_ rows: Range<Int>, _ columns: Range<Int>) {
        let pa = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
        let pb = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
        glossa_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(rows.count), Int32(columns.count), Int32(k),
                     alpha, pa, Int32(lda), pb, Int32(ldb), beta, c + rows.lowerBound * ldc + columns.lowerBound, Int32(ldc))
    }
    // A memory-bound product (a few rows against at least 1 MB of weights: decoding) splits too:
    // two cores read memory about 1.3–1.5× as fast as one.
    let large = m * n * k >= gemmParallelThreshold || (m <= 4 && n * k >= 1 << 18)
    guard ownGemmKernels && neuralCoreUsesBothCores && large && max(m, n) >= 32 else {
        part(0..<m, 0..<n)
        return
    }
    // Two halves along the longer side, cut at a multiple of 16 (a vector of columns, two row tiles).
    let splitColumns = n >= m
    let length = splitColumns ? n : m
    let middle = (length / 2 + 15) / 16 * 16
    DispatchQueue.concurrentPerform(iterations: 2) { half in
        let range = half == 0 ? 0..<middle : middle..<length
        if splitColumns { part(0..<m, range) } else { part(range, 0..<n) }
    }
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

/// Threads for products: OpenBLAS's thread count, and whether Glossa's own kernels and loops use
/// both cores (`neuralCoreUsesBothCores`), set together.
public enum BlasThreads {
    public static var count: Int {
        get { Int(glossa_blas_threads()) }
        set {
            glossa_blas_set_threads(Int32(newValue))
            neuralCoreUsesBothCores = newValue > 1
        }
    }
}

/// Whether products run on Glossa's AVX-512 kernels: the CPU has AVX-512F (CPUID, checked in C) and
/// the environment does not set `GLOSSA_GEMM=fallback`. Otherwise OpenBLAS does the work.
public let ownGemmKernels = glossa_gemm_kernel() != 0

/// Whether `smallGemm` runs unpacked AVX-512 kernels, so that laying out W_hhᵀ once per sequence pays.
public var smallProductKernelAvailable: Bool { ownGemmKernels }

/// C (M×N) = A (M×K) · B (K×N) (+ C when `accumulate`) for small M — the per-time-step products of a
/// recurrent layer (M = B rows) against a weight laid out K×N: `gemm` without transposes, which
/// runs such products unpacked.
@inline(__always)
public func smallGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) {
    gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
         beta: accumulate ? 1 : 0, c: c, ldc: ldc)
}

/// C (M×N) = A (M×K) · B (K×N) (+ C when `accumulate`) with B laid out in panels by
/// `layOutPanels` (a weight many small products read: frozen decoder weights); the same sums as
/// `smallGemm` for M ≤ 64, bit for bit. Split over both cores as `gemm` splits, at a panel boundary.
public func panelGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, panels: UnsafePointer<Float>,
                      accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) {
    let panel = Int(GLOSSA_PANEL)
    func part(_ columns: Range<Int>) {
        glossa_sgemm_panels(Int32(m), Int32(columns.count), Int32(k), a, Int32(lda), panels + columns.lowerBound * k,
                            accumulate ? 1 : 0, c + columns.lowerBound, Int32(ldc))
    }
    let large = m * n * k >= gemmParallelThreshold || (m <= 4 && n * k >= 1 << 18)
    guard ownGemmKernels && neuralCoreUsesBothCores && large && n >= 2 * panel else {
        part(0..<n)
        return
    }
    let middle = (n / 2 + panel - 1) / panel * panel
    DispatchQueue.concurrentPerform(iterations: 2) { half in part(half == 0 ? 0..<middle : middle..<n) }
}

/// W (N×K, row-major) laid out for `panelGemm` as Wᵀ in panels; `panels` holds `panelCount(n)` floats.
public func layOutPanels(n: Int, k: Int, _ w: UnsafePointer<Float>, into panels: UnsafeMutablePointer<Float>) {
    glossa_pack_panels(Int32(n), Int32(k), w, panels)
}

/// Floats `layOutPanels` writes for N columns of K rows.
public func panelCount(n: Int, k: Int) -> Int { (n + Int(GLOSSA_PANEL) - 1) / Int(GLOSSA_PANEL) * Int(GLOSSA_PANEL) * k }

/// Multiply-adds (M·N·K) from which `gemm` uses both cores.
nonisolated(unsafe) public var gemmParallelThreshold = 4_000_000
