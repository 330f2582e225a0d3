import TestSupport
import XCTest
@testable import NeuralCore

/// Finite-difference checks of every feed-forward layer and loss (see GradientCheck for the tolerance).
final class LayerGradientTests: XCTestCase {
    func testLinearGradients() {
        for (n, i, o) in [(1, 1, 1), (3, 4, 5), (7, 2, 3)] {
            var rng = SplitMix64(seed: UInt64(n * 100 + i * 10 + o))
            let store = ParameterStore()
            let linear = Linear(inputSize: i, outputSize: o, prefix: "fc", store: store, rng: &rng)
            var x = GradientCheck.random([n, i], &rng)
            let r = GradientCheck.random([n, o], &rng)
            let dx = linear.backward(r, input: x)
            GradientCheck.checkParameters(store, samples: nil) { GradientCheck.dot(r, linear.forward(x)) }
            GradientCheck.checkInput(&x, gradient: dx, name: "x") { GradientCheck.dot(r, linear.forward($0)) }
        }
    }

    func testTiedWeightsCollectBothGradients() {
        var rng = SplitMix64(seed: 9)
        let store = ParameterStore()
        let embedding = Embedding(vocabularySize: 5, dimension: 3, prefix: "encoder", store: store, rng: &rng)
        let decoder = Linear(tiedWeight: embedding.weight, prefix: "decoder", store: store, rng: &rng)
        XCTAssertEqual(store.parameters.map(\.name), ["encoder.weight", "decoder.bias"])
        let ids: [Int32] = [4, 0, 4]
        let r = GradientCheck.random([3, 5], &rng)
        func loss() -> Double { GradientCheck.dot(r, decoder.forward(embedding.forward(ids))) }
        let x = embedding.forward(ids)
        embedding.backward(decoder.backward(r, input: x), ids: ids)
        GradientCheck.checkParameters(store, samples: nil) { loss() }
    }

    func testEmbeddingGradientsAndMask() {
        var rng = SplitMix64(seed: 5)
        let store = ParameterStore()
        let embedding = Embedding(vocabularySize: 6, dimension: 3, prefix: "encoder", store: store, rng: &rng)
        let ids: [Int32] = [1, 4, 1, 0, 5]
        let r = GradientCheck.random([5, 3], &rng)
        embedding.backward(r, ids: ids)
        GradientCheck.checkParameters(store, samples: nil) { GradientCheck.dot(r, embedding.forward(ids)) }
        // Masked rows add nothing.
        store.zeroGradients()
        embedding.backward(r, ids: ids, mask: [1, 0, 1, 1, 0])
        let g = store.gradientTensor(embedding.weight)
        XCTAssertEqual(g[4, 0], 0)
        XCTAssertEqual(g[5, 2], 0)
        XCTAssertEqual(g[1, 1], r[0, 1] + r[2, 1])
        // Lookup equals one-hot · S.
        var onehot = Tensor(zeros: [5, 6])
        for (n, id) in ids.enumerated() { onehot[n, Int(id)] = 1 }
        XCTAssertEqual(matmul(onehot, store.tensor(embedding.weight)), embedding.forward(ids))
    }

    func testActivationGradients() {
        for activation in Activation.allCases {
            var rng = SplitMix64(seed: 11)
            var x = GradientCheck.random([4, 5], &rng, bound: 2)
            let r = GradientCheck.random([4, 5], &rng)
            let y = activation.forward(x)
            let dx = activation.backward(r, output: y)
            GradientCheck.checkInput(&x, gradient: dx, name: "\(activation)") { GradientCheck.dot(r, activation.forward($0)) }
        }
    }

    func testSquareLossGradient() {
        var rng = SplitMix64(seed: 3)
        var p = GradientCheck.random([3, 2], &rng)
        let y = GradientCheck.random([3, 2], &rng)
        let (_, g) = squareLoss(prediction: p, target: y)
        GradientCheck.checkInput(&p, gradient: g, name: "prediction") { Double(squareLoss(prediction: $0, target: y).loss) }
    }

    func testCrossEntropyGradientWithAndWithoutMask() {
        for mask: [Float]? in [nil, [1, 0, 1, 1, 0, 0]] {
            var rng = SplitMix64(seed: 8)
            var logits = GradientCheck.random([6, 7], &rng, bound: 3)
            let targets: [Int32] = [0, 6, 3, 3, 1, 2]
            let (_, count, g) = softmaxCrossEntropy(logits: logits, targets: targets, mask: mask)
            XCTAssertEqual(count, mask == nil ? 6 : 3)
            GradientCheck.checkInput(&logits, gradient: g, name: "logits") {
                Double(softmaxCrossEntropy(logits: $0, targets: targets, mask: mask).loss)
            }
            if mask != nil {
                for v in 0..<7 { XCTAssertEqual(g[1, v], 0); XCTAssertEqual(g[5, v], 0) }
            }
        }
    }

    func testCrossEntropyValueAgainstDirectFormula() {
        var rng = SplitMix64(seed: 21)
        let logits = GradientCheck.random([4, 9], &rng, bound: 5)
        let targets: [Int32] = [8, 0, 4, 4]
        let mask: [Float] = [1, 1, 0, 1]
        var expected: Double = 0
        for n in [0, 1, 3] {
            let row = (0..<9).map { Double(logits[n, $0]) }
            let m = row.max()!
            let lse = m + log(row.map { exp($0 - m) }.reduce(0, +))
            expected += lse - row[Int(targets[n])]
        }
        let (loss, _, _) = softmaxCrossEntropy(logits: logits, targets: targets, mask: mask)
        XCTAssertEqual(Double(loss), expected / 3, accuracy: 1e-5)
        // Padding rows' targets may be junk (even out of range) without effect.
        let junk = softmaxCrossEntropy(logits: logits, targets: [8, 0, 99, 4], mask: mask)
        XCTAssertEqual(junk.loss, loss)
        XCTAssertEqual(softmaxCrossEntropy(logits: logits, targets: targets, mask: [0, 0, 0, 0]).loss, 0)
    }

    /// Large batches are split across both cores; the result equals the row-by-row computation.
    func testLargeCrossEntropyEqualsRowByRow() {
        var rng = SplitMix64(seed: 12)
        let (n, v) = (131, 8_111)
        let logits = GradientCheck.random([n, v], &rng, bound: 4)
        let targets = (0..<n).map { _ in Int32(rng.next() % UInt64(v)) }
        let mask = (0..<n).map { $0 % 7 == 3 ? Float(0) : 1 }
        let (loss, count, gradient) = softmaxCrossEntropy(logits: logits, targets: targets, mask: mask)
        XCTAssertEqual(count, mask.filter { $0 != 0 }.count)
        var sum: Double = 0
        for r in [0, 1, 65, 66, 130] where mask[r] != 0 {
            let row = logits.slice(r..<(r + 1))
            let single = softmaxCrossEntropy(logits: row, targets: [targets[r]], scale: 1)
            sum += Double(single.loss)
            XCTAssertLessThan(single.gradient.reshaped([v]).maxAbsDifference(
                gradient.slice(r..<(r + 1)).reshaped([v]).scaled(by: Float(count))), 1e-5)
        }
        var total: Double = 0
        for r in 0..<n where mask[r] != 0 { total += Double(softmaxCrossEntropy(logits: logits.slice(r..<(r + 1)), targets: [targets[r]], scale: 1).loss) }
        XCTAssertEqual(Double(loss), total / Double(count), accuracy: 1e-5 * total / Double(count))
        XCTAssertGreaterThan(sum, 0)
    }

    /// A Linear layer's logits without its bias, given to the cross-entropy with `biasOf:`, give the
    /// loss and logit gradient of the unfused path exactly and its bias gradient to rounding (one
    /// part and the two-part split of large batches, with a mask).
    func testCrossEntropyWithTheLayerBiasEqualsAddingItFirst() {
        for (n, i, v) in [(3, 4, 5), (131, 8, 8_111)] {
            var rng = SplitMix64(seed: UInt64(n + v))
            let store = ParameterStore()
            let linear = Linear(inputSize: i, outputSize: v, prefix: "fc", store: store, rng: &rng)
            let x = GradientCheck.random([n, i], &rng)
            let targets = (0..<n).map { _ in Int32(rng.next() % UInt64(v)) }
            let mask = (0..<n).map { $0 % 7 == 3 ? Float(0) : 1 }
            var plain = linear.forward(x), fused = Tensor(zeros: [n, v])
            x.data.withUnsafeBufferPointer { px in
                fused.data.withUnsafeMutableBufferPointer { linear.forward(y: $0.baseAddress!, x: px.baseAddress!, rows: n, addsBias: false) }
            }
            let expected = softmaxCrossEntropyInPlace(&plain, targets: targets, mask: mask)
            var expectedBias = [Float](repeating: 0, count: v)
            VectorMath.sumRows(plain.data, into: &expectedBias, rows: n, columns: v)
            let got = softmaxCrossEntropyInPlace(&fused, targets: targets, mask: mask, biasOf: linear)
            XCTAssertEqual(got.loss, expected.loss)
            XCTAssertEqual(fused, plain)
            let bias = store.gradientTensor(linear.bias!).data
            XCTAssertLessThan(zip(bias, expectedBias).map { abs($0 - $1) }.max()!, 1e-6, "\(n)×\(v)")
        }
    }

    func testFastKernelsMatchLibm() {
        var xs: [Float] = stride(from: -30, through: 30, by: 0.01).map { Float($0) }
        xs += [0, -0.0, 1e-6, -1e-6, 88, -87]
        var out = [Float](repeating: 0, count: xs.count)
        VectorMath.tanh(xs, &out, count: xs.count)
        for (x, y) in zip(xs, out) { XCTAssertEqual(Double(y), Foundation.tanh(Double(x)), accuracy: 5e-7, "tanh(\(x))") }
        VectorMath.sigmoid(xs, &out, count: xs.count)
        for (x, y) in zip(xs, out) { XCTAssertEqual(Double(y), 1 / (1 + Foundation.exp(-Double(x))), accuracy: 3e-7, "sigmoid(\(x))") }
        let ex = xs.filter { $0 <= 80 }
        var eo = [Float](repeating: 0, count: ex.count)
        VectorMath.exp(ex, &eo, count: ex.count)
        for (x, y) in zip(ex, eo) {
            let e = Foundation.exp(Double(x))
            XCTAssertEqual(Double(y), e, accuracy: 3e-7 * e, "exp(\(x))")
        }
    }
}
