import TestSupport
import XCTest
import CBLAS
@testable import NeuralCore

final class MatrixProductTests: XCTestCase {
    /// Reference product in Double.
    func reference(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
        let n = transposeB ? b.shape[0] : b.shape[1]
        var c = Tensor(zeros: [m, n])
        for i in 0..<m { for j in 0..<n {
            var s: Double = 0
            for p in 0..<k { s += Double(transposeA ? a[p, i] : a[i, p]) * Double(transposeB ? b[j, p] : b[p, j]) }
            c[i, j] = Float(s)
        } }
        return c
    }

    func testMatmulAllTransposes() {
        var rng = SplitMix64(seed: 2)
        for (m, n, k) in [(1, 1, 1), (3, 5, 4), (17, 9, 33)] {
            for ta in [false, true] { for tb in [false, true] {
                let a = Tensor(shape: ta ? [k, m] : [m, k], uniformBound: 1, rng: &rng)
                let b = Tensor(shape: tb ? [n, k] : [k, n], uniformBound: 1, rng: &rng)
                let c = matmul(a, b, transposeA: ta, transposeB: tb)
                XCTAssertEqual(c.shape, [m, n])
                XCTAssertLessThan(c.maxAbsDifference(reference(a, b, transposeA: ta, transposeB: tb)), 1e-5)
            } }
        }
    }

    /// The small-M kernel (masked column tails, partial row blocks, the two-core split) equals the
    /// reference, with and without accumulation, on strided operands.
    func testSmallProductKernel() {
        var rng = SplitMix64(seed: 3)
        let saved = gemmParallelThreshold
        defer { gemmParallelThreshold = saved }
        for threshold in [Int.max, 1] {
            gemmParallelThreshold = threshold
            for (m, n, k) in [(1, 1, 1), (3, 17, 5), (20, 200, 7), (5, 130, 16), (7, 200, 3), (20, 65, 2)] {
                let a = Tensor(shape: [m, k + 2], uniformBound: 1, rng: &rng)   // lda = k + 2
                let b = Tensor(shape: [k, n + 3], uniformBound: 1, rng: &rng)   // ldb = n + 3
                let c0 = Tensor(shape: [m, n + 1], uniformBound: 1, rng: &rng)  // ldc = n + 1
                for accumulate in [false, true] {
                    var c = c0
                    a.data.withUnsafeBufferPointer { pa in b.data.withUnsafeBufferPointer { pb in c.data.withUnsafeMutableBufferPointer { pc in
                        smallGemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k + 2, b: pb.baseAddress!, ldb: n + 3,
                                  accumulate: accumulate, c: pc.baseAddress!, ldc: n + 1)
                    } } }
                    for i in 0..<m {
                        XCTAssertEqual(c[i, n], c0[i, n], "the padding column is untouched")
                        for j in 0..<n {
                            var s: Double = accumulate ? Double(c0[i, j]) : 0
                            for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
                            XCTAssertEqual(Double(c[i, j]), s, accuracy: 1e-4, "\(m)×\(n)×\(k) [\(i), \(j)]")
                        }
                    }
                }
            }
        }
    }

    /// `gemm` (Glossa's kernels, or OpenBLAS under GLOSSA_GEMM=fallback) equals OpenBLAS on random
    /// shapes: sizes 1, odd and off the tiles (8×48 packed, 4×64 small, 4×4 dot) and K around the
    /// packed kernel's blocks (one up to 512, blocks of 256 past it), every transposition,
    /// alpha 1 and −0.5, beta 0 (C starts as NaN, which must not leak), 1 and 0.5, padded strides (the
    /// padding must stay untouched), on one core and split over two.
    func testProductsAgreeWithOpenBLAS() {
        var rng = SplitMix64(seed: 12)
        let sizes = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 47, 48, 49, 63, 64, 65, 129, 257, 300, 512, 513]
        func pick() -> Int { sizes[Int(rng.next() % UInt64(sizes.count))] }
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float(rng.next() % 2001) / 1000 - 1 } }
        let saved = gemmParallelThreshold
        defer { gemmParallelThreshold = saved }
        for round in 0..<300 {
            gemmParallelThreshold = round % 2 == 0 ? Int.max : 1
            let (m, n, k) = round % 10 == 9 ? (1 + Int(rng.next() % 400), 1 + Int(rng.next() % 400), 1 + Int(rng.next() % 300))
                                            : (pick(), pick(), pick())
            let ta = rng.next() % 2 == 1, tb = rng.next() % 2 == 1
            let alpha: Float = rng.next() % 3 == 0 ? -0.5 : 1
            let beta: Float = [0, 1, 0.5][Int(rng.next() % 3)]
            let lda = (ta ? m : k) + Int(rng.next() % 3), ldb = (tb ? k : n) + Int(rng.next() % 3), ldc = n + Int(rng.next() % 3)
            let a = random((ta ? k : m) * lda), b = random((tb ? n : k) * ldb)
            var expected = random(m * ldc)
            if beta == 0 { for i in 0..<m { for j in 0..<n { expected[i * ldc + j] = .nan } } }
            var c = expected
            gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                 beta: beta, c: &c, ldc: ldc)
            glossa_sgemm_openblas(ta ? 1 : 0, tb ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                                  beta, &expected, Int32(ldc))
            let tolerance = 1e-5 * Float(k).squareRoot()
            var worst: Float = 0, paddingKept = true
            for i in 0..<m {
                for j in 0..<n {
                    let d = abs(c[i * ldc + j] - expected[i * ldc + j])
                    worst = d.isNaN ? .infinity : max(worst, d)
                }
                for j in n..<ldc where c[i * ldc + j] != expected[i * ldc + j] { paddingKept = false }
            }
            let shape = "\(m)×\(n)×\(k) transposes \(ta) \(tb) alpha \(alpha) beta \(beta) ld \(lda) \(ldb) \(ldc)"
            XCTAssertLessThan(worst, tolerance, shape)
            XCTAssertTrue(paddingKept, "the padding columns changed: " + shape)
        }
    }

    /// Decoding products (M ≤ 4 rows against ≥ 1 MB of weights) split over both cores: the same bits
    /// as on one core, and OpenBLAS's values, for B laid out and transposed.
    func testMemoryBoundProductsSplitWithTheSameBits() {
        var rng = SplitMix64(seed: 13)
        let saved = neuralCoreUsesBothCores
        defer { neuralCoreUsesBothCores = saved }
        let k = 301
        for n in [1003, 4099] { for m in 1...4 { for tb in [false, true] {  // 4099: M = 1 in three column chunks
            let a = (0..<m * k).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
            let b = (0..<n * k).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
            var results: [[Float]] = []
            for both in [false, true] {
                neuralCoreUsesBothCores = both
                var c = [Float](repeating: .nan, count: m * n)
                gemm(transposeA: false, transposeB: tb, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: tb ? k : n,
                     beta: 0, c: &c, ldc: n)
                results.append(c)
            }
            XCTAssertEqual(results[0], results[1], "\(m)×\(n)×\(k) transposed B \(tb): one core and two differ")
            var expected = [Float](repeating: 0, count: m * n)
            glossa_sgemm_openblas(0, tb ? 1 : 0, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(tb ? k : n), 0, &expected, Int32(n))
            let worst = zip(results[1], expected).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-4, "\(m)×\(n)×\(k) transposed B \(tb)")
        } } }
    }

    /// glossa_transpose (8×8 register blocks and scalar edges) on sizes below, at and past a block, strided.
    func testTranspose() {
        for (rows, cols) in [(1, 1), (3, 17), (8, 8), (9, 16), (800, 200), (13, 27)] {
            let src = (0..<rows * (cols + 2)).map { Float($0) }
            var dst = [Float](repeating: -1, count: cols * (rows + 1))
            glossa_transpose(Int32(rows), Int32(cols), src, Int32(cols + 2), &dst, Int32(rows + 1))
            for i in 0..<rows { for j in 0..<cols { XCTAssertEqual(dst[j * (rows + 1) + i], src[i * (cols + 2) + j]) } }
            for j in 0..<cols { XCTAssertEqual(dst[j * (rows + 1) + rows], -1, "padding") }
        }
    }

    /// `panelGemm` against a panel layout gives `smallGemm`'s bits against Wᵀ (M ≤ 64; edge panels,
    /// M = 1, accumulation, one core and two), on either product path, and leaves C's padding alone.
    func testPanelProductsEqualTheSmallProduct() {
        var rng = SplitMix64(seed: 14)
        let saved = (neuralCoreUsesBothCores, gemmParallelThreshold)
        defer { (neuralCoreUsesBothCores, gemmParallelThreshold) = saved }
        for (m, n, k) in [(1, 1, 1), (1, 1536, 768), (3, 65, 9), (64, 200, 33), (7, 130, 512)] { for both in [false, true] {
            neuralCoreUsesBothCores = both
            gemmParallelThreshold = both ? 1 : Int.max
            let a = (0..<m * k).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
            let w = (0..<n * k).map { _ in Float(rng.next() % 2001) / 1000 - 1 }   // (N, K) as a layer stores it
            let c0 = (0..<m * (n + 1)).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
            var wt = [Float](repeating: 0, count: n * k), panels = [Float](repeating: .nan, count: panelCount(n: n, k: k))
            glossa_transpose(Int32(n), Int32(k), w, Int32(k), &wt, Int32(n))
            layOutPanels(n: n, k: k, w, into: &panels)
            for accumulate in [false, true] {
                var expected = c0, got = c0
                smallGemm(m: m, n: n, k: k, a: a, lda: k, b: wt, ldb: n, accumulate: accumulate, c: &expected, ldc: n + 1)
                panelGemm(m: m, n: n, k: k, a: a, lda: k, panels: panels, accumulate: accumulate, c: &got, ldc: n + 1)
                if ownGemmKernels {
                    XCTAssertEqual(got, expected, "\(m)×\(n)×\(k) accumulate \(accumulate) both cores \(both)")
                } else {  // OpenBLAS sums in its own order
                    XCTAssertLessThan(zip(got, expected).map { abs($0 - $1) }.max()!, 1e-4, "\(m)×\(n)×\(k)")
                }
                for i in 0..<m { XCTAssertEqual(got[i * (n + 1) + n], c0[i * (n + 1) + n], "padding") }
            }
        } }
    }

    /// K = 0 and M or N = 0 follow BLAS: C = beta·C, and nothing at all.
    func testEmptyProducts() {
        var c: [Float] = [.nan, 2, 3, 4]
        let a: [Float] = [1], b: [Float] = [1]
        gemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 0, a: a, lda: 1, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        XCTAssertEqual(c, [0, 0, 0, 0])
        c = [1, 2, 3, 4]
        gemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 0, a: a, lda: 1, b: b, ldb: 2, beta: 0.5, c: &c, ldc: 2)
        XCTAssertEqual(c, [0.5, 1, 1.5, 2])
        gemm(transposeA: false, transposeB: false, m: 0, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        XCTAssertEqual(c, [0.5, 1, 1.5, 2])
    }
}
