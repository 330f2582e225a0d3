import XCTest
@testable import NeuralCore

/// The course notes' worked example: a 2-2-1 ReLU network with every weight 0, hidden biases 1
/// and 0, one example (x1, x2, y) = (1, 0, 1) and square loss. Every number is exact.
final class WorkedExampleTests: XCTestCase {
    func testTwoTwoOneReLUNetwork() {
        var rng = SplitMix64(seed: 0)
        let store = ParameterStore()
        let hidden = Linear(inputSize: 2, outputSize: 2, prefix: "hidden", store: store, rng: &rng)
        let output = Linear(inputSize: 2, outputSize: 1, prefix: "output", store: store, rng: &rng)
        store.allValues.update(repeating: 0)
        store.set(hidden.bias!, to: Tensor(shape: [2], data: [1, 0]))

        let x = Tensor(shape: [1, 2], data: [1, 0])
        let y = Tensor(shape: [1, 1], data: [1])
        let z = hidden.forward(x)
        let h = Activation.relu.forward(z)
        let yHat = output.forward(h)
        let (loss, dYHat) = squareLoss(prediction: yHat, target: y)
        XCTAssertEqual(h.data, [1, 0])
        XCTAssertEqual(yHat.data, [0])
        XCTAssertEqual(loss, 1)
        XCTAssertEqual(dYHat.data, [-2])

        let dh = output.backward(dYHat, input: h)
        let dz = Activation.relu.backward(dh, output: h)
        _ = hidden.backward(dz, input: x)
        XCTAssertEqual(store.gradientTensor(output.weight).data, [-2, 0], "dL/dw_out = dL/dŷ · h = (−2·1, −2·0)")
        XCTAssertEqual(store.gradientTensor(output.bias!).data, [-2])
        XCTAssertEqual(dh.data, [0, 0], "dL/dh = dL/dŷ · w_out = 0")
        XCTAssertEqual(store.gradientTensor(hidden.weight).data, [0, 0, 0, 0])
        XCTAssertEqual(store.gradientTensor(hidden.bias!).data, [0, 0])
    }
}
