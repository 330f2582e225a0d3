import NeuralCore
import TextProcessing
import XCTest
@testable import Translation

/// Central finite differences of the whole translator's loss (encoder, attention, decoder, output,
/// masked cross-entropy) against `accumulateGradients`, on sampled parameters of every tensor.
/// Float32 with h = 1e-2: the loss (≈ 2.6) is exact to ≈ 3e-7, so a difference quotient is good to
/// about 1e-4 absolute; the check allows 2 % relative error plus 2e-4.
final class TranslatorGradientCheckTests: XCTestCase {
    func testWholeModelGradientsMatchFiniteDifferences() {
        for cell in [RecurrentCell.gru, .lstm] {
            let translator = Translator(TranslatorArchitecture(cell: cell, embeddingSize: 4, hiddenSize: 6, numLayers: 2,
                                                               sourceVocabSize: 9, targetVocabSize: 10), seed: 5)
            let batch = SentenceBatch(pairs: [([4, 5, 6], [7, 8]), ([8], [4, 5, 6, 9])], pad: 0, bos: 2, eos: 3)
            let workspace = TranslatorWorkspace(translator.architecture)
            func loss() -> Float { translator.store.zeroGradients(); return translator.accumulateGradients(batch, workspace: workspace).loss }
            _ = loss()
            let analytic = Array(translator.store.allGradients)
            var sampler = SplitMix64(seed: 9)
            for p in translator.store.parameters {
                for _ in 0..<4 {
                    let i = p.offset + Int(sampler.next() % UInt64(p.count))
                    let saved = translator.store.values[i]
                    let h: Float = 1e-2
                    translator.store.values[i] = saved + h
                    let up = loss()
                    translator.store.values[i] = saved - h
                    let down = loss()
                    translator.store.values[i] = saved
                    let numeric = (up - down) / (2 * h)
                    XCTAssertEqual(analytic[i], numeric, accuracy: 2e-4 + 0.02 * abs(numeric), "\(cell) \(p.name)[\(i - p.offset)]")
                }
            }
        }
    }
}
