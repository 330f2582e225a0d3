import XCTest
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
        let saved = smallGemmParallelThreshold
        defer { smallGemmParallelThreshold = saved }
        for threshold in [Int.max, 1] {
            smallGemmParallelThreshold = threshold
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
}
