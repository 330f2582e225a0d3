import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import Translation

/// Central finite differences of the whole translator's loss (encoder, attention, decoder, output,
/// masked cross-entropy) against `accumulateGradients`, on sampled parameters of every tensor.
/// Float32 with h = 1e-2, `GradientCheck`'s tolerance (TestSupport).
final class TranslatorGradientCheckTests: XCTestCase {
    func testWholeModelGradientsMatchFiniteDifferences() {
        for cell in [RecurrentCell.gru, .lstm] {
            let translator = Translator(TranslatorArchitecture(cell: cell, embeddingSize: 4, hiddenSize: 6, numLayers: 2,
                                                               sourceVocabSize: 9, targetVocabSize: 10), seed: 5)
            let batch = SentenceBatch(pairs: [([4, 5, 6], [7, 8]), ([8], [4, 5, 6, 9])], pad: 0, bos: 2, eos: 3)
            let workspace = TranslatorWorkspace(translator.architecture)
            translator.store.zeroGradients()
            translator.accumulateGradients(batch, workspace: workspace)
            // The forward-only loss leaves the analytic gradients in the store alone.
            GradientCheck.checkParameters(translator.store, samples: 4, seed: 9) {
                Double(translator.loss(batch, workspace: workspace).loss)
            }
        }
    }
}
