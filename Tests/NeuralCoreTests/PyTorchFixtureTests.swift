import TestSupport
import XCTest
@testable import NeuralCore

/// Agreement with PyTorch (float64 reference, stored as float32) on the fixtures written by
/// Tools/make_core_fixtures.py. Compares shapes first, then the largest absolute difference.
/// Tolerance 2e-5 (outputs, gradients of O(1)): Float32 forward and backward over ≤ 5 steps.
final class PyTorchFixtureTests: XCTestCase {
    func fixture(_ name: String) throws -> [String: Tensor] {
        guard let path = Bundle.module.path(forResource: name, ofType: "safetensors", inDirectory: "Fixtures") else {
            throw XCTSkip("fixture \(name) missing; run Tools/make_core_fixtures.py")
        }
        var out: [String: Tensor] = [:]
        for (n, t) in try SafeTensors.read(path) { out[n] = t }
        return out
    }

    func checkRecurrent(_ name: String, cell: RecurrentCell, input: Int, hidden: Int, layers: Int,
                        bidirectional: Bool, lengths: [Int]? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let f = try fixture(name)
        var rng = SplitMix64(seed: 0)
        let store = ParameterStore()
        let rnn = Recurrent(cell: cell, inputSize: input, hiddenSize: hidden, numLayers: layers,
                            bidirectional: bidirectional, prefix: "rnn", store: store, rng: &rng)
        let path = Bundle.module.path(forResource: name, ofType: "safetensors", inDirectory: "Fixtures")!
        try store.load(from: path, allowUnexpected: true)
        let initial = f["h0"].map { RecurrentState(h: $0, c: f["c0"]) }
        let (y, final, cache) = rnn.forward(f["x"]!, initial: initial, lengths: lengths)
        assertClose(y, f["output"], "\(name) output", file: file, line: line)
        assertClose(final.h, f["h_n"], "\(name) h_n", file: file, line: line)
        if cell == .lstm { assertClose(final.c!, f["c_n"], "\(name) c_n", file: file, line: line) }
        let (dx, dInitial) = rnn.backward(f["r_out"]!, dFinal: RecurrentState(h: f["r_h"]!, c: f["r_c"]), cache: cache)
        assertClose(dx, f["grad.x"], "\(name) grad x", file: file, line: line)
        if initial != nil {
            assertClose(dInitial.h, f["grad.h0"], "\(name) grad h0", file: file, line: line)
            if cell == .lstm { assertClose(dInitial.c!, f["grad.c0"], "\(name) grad c0", file: file, line: line) }
        }
        for p in store.parameters {
            assertClose(store.gradientTensor(p), f["grad." + p.name], "\(name) grad \(p.name)", file: file, line: line)
        }
    }

    func testLSTMStack() throws {
        try checkRecurrent("lstm_2layer", cell: .lstm, input: 5, hidden: 6, layers: 2, bidirectional: false)
    }

    func testGRUStack() throws {
        try checkRecurrent("gru_2layer", cell: .gru, input: 5, hidden: 6, layers: 2, bidirectional: false)
    }

    func testElmanStacks() throws {
        try checkRecurrent("rnn_tanh_2layer", cell: .rnnTanh, input: 4, hidden: 5, layers: 2, bidirectional: false)
        try checkRecurrent("rnn_relu_1layer_zero_state", cell: .rnnRelu, input: 4, hidden: 5, layers: 1, bidirectional: false)
        try checkRecurrent("rnn_sigmoid_2layer", cell: .rnnSigmoid, input: 3, hidden: 4, layers: 2, bidirectional: false)
    }

    func testBidirectionalPackedEncoders() throws {
        try checkRecurrent("lstm_bidirectional_packed", cell: .lstm, input: 4, hidden: 3, layers: 2, bidirectional: true, lengths: [5, 2, 3])
        try checkRecurrent("gru_bidirectional_packed", cell: .gru, input: 4, hidden: 3, layers: 1, bidirectional: true, lengths: [3, 5, 1])
        try checkRecurrent("gru_bidirectional_packed_zero_state", cell: .gru, input: 3, hidden: 4, layers: 2, bidirectional: true, lengths: [4, 2])
    }

    func testMaskedCrossEntropy() throws {
        let f = try fixture("cross_entropy_masked")
        let targets = f["targets"]!.data.map { Int32($0) }
        let (loss, count, gradient) = softmaxCrossEntropy(logits: f["logits"]!, targets: targets, mask: f["mask"]!.data)
        XCTAssertEqual(count, 5)
        XCTAssertEqual(loss, f["loss"]!.data[0], accuracy: 1e-5)
        assertClose(gradient, f["grad.logits"], "cross-entropy gradient", tolerance: 1e-6)
    }

    /// Embedding → 2-layer LSTM → Linear, masked cross-entropy, clipping at 0.5, Adam(lr 0.01):
    /// the 10 losses and the final weights agree with torch.optim.Adam.
    func testTenAdamStepsOfALanguageModel() throws {
        let f = try fixture("adam_lstm_lm")
        let (V, E, H, T, B) = (13, 5, 6, 4, 3)
        var rng = SplitMix64(seed: 0)
        let store = ParameterStore()
        let embed = Embedding(vocabularySize: V, dimension: E, prefix: "encoder", store: store, rng: &rng)
        let rnn = Recurrent(cell: .lstm, inputSize: E, hiddenSize: H, numLayers: 2, prefix: "rnn", store: store, rng: &rng)
        let out = Linear(inputSize: H, outputSize: V, prefix: "decoder", store: store, rng: &rng)
        for p in store.parameters { store.set(p, to: f[p.name]!) }
        let adam = Adam(store: store, learningRate: 0.01)
        let ids = f["ids"]!.data.map { Int32($0) }, targets = f["targets"]!.data.map { Int32($0) }
        let mask = f["mask"]!.data
        let cache = RecurrentCache()
        var losses: [Float] = []
        for _ in 0..<10 {
            store.zeroGradients()
            let x = embed.forward(ids).reshaped([T, B, E])
            let (y, _, c) = rnn.forward(x, reusing: cache)
            let flat = y.reshaped([T * B, H])
            var logits = out.forward(flat)
            let (loss, _) = softmaxCrossEntropyInPlace(&logits, targets: targets, mask: mask)
            let dFlat = out.backward(logits, input: flat)
            let (dx, _) = rnn.backward(dFlat.reshaped([T, B, H]), cache: c)
            embed.backward(dx.reshaped([T * B, E]), ids: ids)
            store.clipGradientNorm(0.5)
            adam.step()
            losses.append(loss)
        }
        let expected = f["losses"]!.data
        for (a, b) in zip(losses, expected) { XCTAssertEqual(a, b, accuracy: 2e-5) }
        XCTAssertLessThan(losses.last!, losses.first!, "training lowers the loss")
        for p in store.parameters { assertClose(store.tensor(p), f["final." + p.name], "final \(p.name)", tolerance: 5e-5) }
    }
}
