import TestSupport
import XCTest
import CBLAS
@testable import NeuralCore

final class LinearArgmaxTests: XCTestCase {
    /// The argmax of the full product (smallGemm against Wᵀ, + b), the answer LinearArgmax must give.
    func fullArgmax(_ layer: Linear, _ x: [Float], rows: Int, excluding: [Int32]) -> [Int32] {
        let V = layer.outputSize, K = layer.inputSize
        var wt = [Float](repeating: 0, count: V * K), y = [Float](repeating: 0, count: rows * V)
        wt.withUnsafeMutableBufferPointer { glossa_transpose(Int32(V), Int32(K), layer.store.value(layer.weight), Int32(K), $0.baseAddress!, Int32(V)) }
        x.withUnsafeBufferPointer { px in wt.withUnsafeBufferPointer { pw in y.withUnsafeMutableBufferPointer { py in
            smallGemm(m: rows, n: V, k: K, a: px.baseAddress!, lda: K, b: pw.baseAddress!, ldb: V, accumulate: false, c: py.baseAddress!, ldc: V)
            if let bias = layer.bias { VectorMath.addRows(py.baseAddress!, bias: layer.store.value(bias), rows: rows, columns: V) }
        } } }
        return y.withUnsafeBufferPointer { py in (0..<rows).map { argmaxRow(py.baseAddress! + $0 * V, columns: V, excluding: excluding) } }
    }

    /// Random layers and rows (sizes off the 64-column panels and 6-row tiles, odd K, with and without
    /// bias, on one core and two) with planted near ties: a column duplicated (equal logits: the lower
    /// index must win), a column one ulp of bias above another, the true maximum excluded, and a row
    /// of NaN. The screened argmax equals the full product's on every row.
    func testEqualsTheFullProduct() {
        var rng = SplitMix64(seed: 21)
        let saved = neuralCoreUsesBothCores
        defer { neuralCoreUsesBothCores = saved }
        for (round, (V, K, rows)) in [(5, 3, 1), (64, 16, 7), (130, 33, 13), (1000, 256, 64), (777, 101, 70), (4467, 512, 3)].enumerated() {
            neuralCoreUsesBothCores = round % 2 == 1
            let store = ParameterStore()
            let layer = Linear(inputSize: K, outputSize: V, bias: round != 2, prefix: "out", store: store, rng: &rng)
            let w = store.value(layer.weight)
            if V > 20 {
                for k in 0..<K { w[17 * K + k] = w[3 * K + k] }      // column 17 = column 3
                if let b = layer.bias {
                    store.value(b)[17] = store.value(b)[3]
                    for k in 0..<K { w[19 * K + k] = w[18 * K + k] }
                    store.value(b)[19] = store.value(b)[18].nextUp     // one ulp above column 18
                }
            }
            var x = (0..<(rows * K)).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
            if V > 20 {  // make the planted columns win on row 0
                for k in 0..<K { x[k] = w[3 * K + k] * 100 }
                if rows > 1 { for k in 0..<K { x[K + k] = w[18 * K + k] * 100 } }
            }
            if rows > 4 { for k in 0..<K { x[4 * K + k] = .nan } }
            let argmax = LinearArgmax(layer)
            for excluded: [Int32] in [[], [0, 2], [3]] {
                let got = x.withUnsafeBufferPointer { argmax.argmax($0.baseAddress!, rows: rows, excluding: excluded) }
                XCTAssertEqual(got, fullArgmax(layer, x, rows: rows, excluding: excluded), "V \(V) K \(K) rows \(rows) excluding \(excluded)")
            }
        }
    }

    /// On a trained-like layer (large logit gaps) the screen computes only a few columns per row in
    /// fp32 (where the CPU has AVX-512 BF16).
    func testScreensMostColumnsOut() throws {
        try XCTSkipUnless(glossa_argmax_screen_available() != 0, "no AVX-512 BF16 (or GLOSSA_GEMM=fallback)")
        var rng = SplitMix64(seed: 5)
        let store = ParameterStore()
        let layer = Linear(inputSize: 512, outputSize: 3000, prefix: "out", store: store, rng: &rng)
        let x = (0..<(8 * 512)).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
        let argmax = LinearArgmax(layer)
        _ = x.withUnsafeBufferPointer { argmax.argmax($0.baseAddress!, rows: 8, excluding: []) }
        XCTAssertLessThan(argmax.recomputed, 8 * 100)
    }
}
