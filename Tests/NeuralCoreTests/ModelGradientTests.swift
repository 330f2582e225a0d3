import TestSupport
import XCTest
@testable import NeuralCore

/// Finite-difference check of a whole model: Embedding → 2-layer LSTM/GRU (dropout) → Linear →
/// masked softmax cross-entropy + L2, every parameter.
final class ModelGradientTests: XCTestCase {
    func testLanguageModelObjective() {
        for cell in [RecurrentCell.lstm, .gru, .rnnSigmoid] {
            let (V, E, H, T, B) = (7, 3, 4, 3, 2)
            var rng = SplitMix64(seed: 31)
            let store = ParameterStore()
            let embed = Embedding(vocabularySize: V, dimension: E, prefix: "encoder", store: store, rng: &rng, initBound: 0.5)
            let rnn = Recurrent(cell: cell, inputSize: E, hiddenSize: H, numLayers: 2, dropout: 0.25, prefix: "rnn", store: store, rng: &rng)
            let out = Linear(inputSize: H, outputSize: V, prefix: "decoder", store: store, rng: &rng)
            let ids: [Int32] = [1, 2, 6, 0, 3, 3]
            let targets: [Int32] = [2, 6, 0, 5, 3, 4]
            let mask: [Float] = [1, 1, 1, 0, 1, 0]
            let lambda: Float = 0.01

            func objective(backward: Bool) -> Double {
                let x = embed.forward(ids).reshaped([T, B, E])
                let (y, _, cache) = rnn.forward(x, training: DropoutKey(seed: 5, step: 0))
                let flat = y.reshaped([T * B, H])
                let logits = out.forward(flat)
                let (loss, _, dLogits) = softmaxCrossEntropy(logits: logits, targets: targets, mask: mask)
                var l2: Double = 0
                for p in store.parameters where !p.name.contains("bias") {
                    for i in 0..<p.count { l2 += Double(store.value(p)[i] * store.value(p)[i]) }
                }
                if backward {
                    let dFlat = out.backward(dLogits, input: flat)
                    let (dx, _) = rnn.backward(dFlat.reshaped([T, B, H]), cache: cache)
                    embed.backward(dx.reshaped([T * B, E]), ids: ids)
                    let penalty = store.addL2Penalty(lambda)
                    XCTAssertEqual(Double(penalty), Double(lambda) * l2, accuracy: 1e-6)
                }
                return Double(loss) + Double(lambda) * l2
            }
            store.zeroGradients()
            _ = objective(backward: true)
            GradientCheck.checkParameters(store, samples: 8) { objective(backward: false) }
        }
    }
}
