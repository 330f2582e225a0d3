import XCTest
@testable import NeuralCore

/// A decoder steps one token at a time with a cache that keeps W_ihᵀ and W_hhᵀ (`freezesWeights`):
/// T single steps must give what one T-step call gives, for every cell, on either product path.
final class FrozenWeightsStepTests: XCTestCase {
    func testSingleStepsWithFrozenWeightsMatchOneSequenceCall() {
        for cell in [RecurrentCell.gru, .lstm, .rnnTanh] {
            let T = 5, B = 3, I = 7, H = 6
            var rng = SplitMix64(seed: 9)
            let store = ParameterStore()
            let layer = RecurrentLayer(cell: cell, inputSize: I, hiddenSize: H, prefix: "rnn", suffix: "l0", store: store, rng: &rng)
            let x = (0..<(T * B * I)).map { _ in rng.nextUniform() * 2 - 1 }
            let h0 = (0..<(B * H)).map { _ in rng.nextUniform() - 0.5 }
            let c0 = (0..<(B * H)).map { _ in rng.nextUniform() - 0.5 }
            let lstm = cell.hasCellState

            var y = [Float](repeating: 0, count: T * B * H), hN = [Float](repeating: 0, count: B * H), cN = hN
            layer.forward(x: x, steps: T, batch: B, lengths: nil, h0: h0, c0: lstm ? c0 : nil, y: &y, ldy: H,
                          hN: &hN, cN: &cN, cache: RecurrentLayerCache())

            let frozen = RecurrentLayerCache(freezesWeights: true)
            var h = h0, c = c0
            for t in 0..<T {
                var out = [Float](repeating: 0, count: B * H), hNext = out, cNext = out
                let xt = Array(x[(t * B * I)..<((t + 1) * B * I)])
                layer.forward(x: xt, steps: 1, batch: B, lengths: nil, h0: h, c0: lstm ? c : nil, y: &out, ldy: H,
                              hN: &hNext, cN: &cNext, cache: frozen)
                for j in 0..<(B * H) { XCTAssertEqual(out[j], y[t * B * H + j], accuracy: 1e-5, "\(cell) t=\(t)") }
                h = hNext
                if lstm { c = cNext }
            }
            for j in 0..<(B * H) { XCTAssertEqual(h[j], hN[j], accuracy: 1e-5, "\(cell) final h") }
            if lstm { for j in 0..<(B * H) { XCTAssertEqual(c[j], cN[j], accuracy: 1e-5, "\(cell) final c") } }
        }
    }
}
