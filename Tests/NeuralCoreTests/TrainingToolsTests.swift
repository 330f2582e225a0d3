import XCTest
@testable import NeuralCore

final class TrainingToolsTests: XCTestCase {
    func testSplitMix64IsSeededAndUniform() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let xa = (0..<5).map { _ in a.next() }
        XCTAssertEqual(xa, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(xa, (0..<5).map { _ in c.next() })
        // Reference value of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var z = SplitMix64(seed: 0)
        XCTAssertEqual(z.next(), 0xE220_A839_7B1D_CDAF)
        var u = SplitMix64(seed: 1)
        let mean = (0..<10_000).map { _ in Double(u.nextUniform()) }.reduce(0, +) / 10_000
        XCTAssertEqual(mean, 0.5, accuracy: 0.02)
    }

    func testSGDAndMomentum() {
        let store = ParameterStore()
        let p = store.add("w", shape: [2])
        store.set(p, to: Tensor(shape: [2], data: [1, -1]))
        store.gradient(p).update(from: [0.5, 2], count: 2)
        SGD(store: store, learningRate: 0.1).step()
        XCTAssertEqual(store.tensor(p).data, [0.95, -1.2])
        let sgd = SGD(store: store, learningRate: 0.1, momentum: 0.9)
        sgd.step()  // v = g, w −= 0.1 g
        sgd.step()  // v = 0.9 g + g
        XCTAssertEqual(store.tensor(p).data[0], 0.95 - 0.05 - 0.095, accuracy: 1e-6)
    }

    func testAdamFirstStepsMatchClosedForm() {
        // With a constant gradient g, Adam's bias-corrected step is lr · g/(|g| + ε') each time.
        let store = ParameterStore()
        let p = store.add("w", shape: [3])
        store.gradient(p).update(from: [0.3, -2, 1e-3], count: 3)
        let adam = Adam(store: store, learningRate: 0.01)
        for _ in 0..<3 { adam.step() }
        let w = store.tensor(p).data
        XCTAssertEqual(w[0], -0.03, accuracy: 1e-6)
        XCTAssertEqual(w[1], 0.03, accuracy: 1e-6)
        XCTAssertEqual(w[2], -0.03, accuracy: 1e-5)
    }

    func testGradientClippingAndL2() {
        let store = ParameterStore()
        let w = store.add("layer.weight", shape: [2])
        let b = store.add("layer.bias", shape: [2])
        store.gradient(w).update(from: [3, 0], count: 2)
        store.gradient(b).update(from: [0, 4], count: 2)
        XCTAssertEqual(store.clipGradientNorm(10), 5, accuracy: 1e-6)
        XCTAssertEqual(store.gradientTensor(w).data, [3, 0], "below the limit nothing changes")
        XCTAssertEqual(store.clipGradientNorm(1), 5, accuracy: 1e-6)
        XCTAssertEqual(store.gradientNorm(), 1, accuracy: 1e-5)
        XCTAssertEqual(store.gradientTensor(b).data[1], 0.8, accuracy: 1e-5)

        store.zeroGradients()
        store.set(w, to: Tensor(shape: [2], data: [1, -2]))
        store.set(b, to: Tensor(shape: [2], data: [5, 5]))
        let penalty = store.addL2Penalty(0.1)
        XCTAssertEqual(penalty, 0.5, accuracy: 1e-6, "λ‖W‖² over weights only")
        XCTAssertEqual(store.gradientTensor(w).data, [0.2, -0.4])
        XCTAssertEqual(store.gradientTensor(b).data, [0, 0])
    }

    /// Buffers of ≥ 1M elements are split over both cores; both halves follow the same formulas.
    func testLargeStoresSplitAcrossCores() {
        let store = ParameterStore()
        let p = store.add("w", shape: [1_500_001])
        var rng = SplitMix64(seed: 17)
        let w = store.value(p), g = store.gradient(p)
        for i in 0..<p.count { w[i] = rng.nextUniform(bound: 1); g[i] = rng.nextUniform(bound: 0.01) }
        var sum: Double = 0
        for i in 0..<p.count { sum += Double(g[i]) * Double(g[i]) }
        XCTAssertEqual(Double(store.gradientNorm()), sum.squareRoot(), accuracy: 1e-6 * sum.squareRoot())
        let probes = [0, 1, 750_000, 750_001, 1_500_000]
        let before = probes.map { (w[$0], g[$0]) }
        let adam = Adam(store: store, learningRate: 0.1)
        adam.step()
        for (k, i) in probes.enumerated() {
            // First Adam step: m̂ = g, v̂ = g², so w −= lr · g / (|g| + ε).
            let (w0, g0) = before[k]
            XCTAssertEqual(w[i], w0 - 0.1 * g0 / (abs(g0) + 1e-8), accuracy: 1e-6)
        }
        let norm = store.clipGradientNorm(0.5)
        XCTAssertEqual(Double(norm), sum.squareRoot(), accuracy: 1e-6 * sum.squareRoot())
        XCTAssertEqual(store.gradientNorm(), 0.5, accuracy: 1e-4)
        let w1 = probes.map { w[$0] }, g1 = probes.map { g[$0] }
        SGD(store: store, learningRate: 2).step()
        for (k, i) in probes.enumerated() { XCTAssertEqual(w[i], w1[k] - 2 * g1[k], accuracy: 1e-6) }
    }
}
