import Foundation
import NeuralCore
import TextProcessing
import XCTest
@testable import Translation

/// Padding must change nothing: a padded batch gives the loss, gradients and translations its
/// sentences give one by one.
final class PaddingInvarianceTests: XCTestCase {
    let pairs: [(source: [Int32], target: [Int32])] = [
        ([4, 5, 6, 7, 8, 9], [4, 5]), ([10], [6, 7, 8, 9, 10, 11]), ([11, 12, 4], [12]), ([5, 5, 5, 5], [4, 4, 4]),
    ]
    let specials = SpecialTokens(pad: 0, unk: 1, bos: 2, eos: 3)

    func model(_ cell: RecurrentCell, bidirectional: Bool, layers: Int) -> Translator {
        Translator(TranslatorArchitecture(cell: cell, embeddingSize: 5, hiddenSize: 6, numLayers: layers, bidirectionalEncoder: bidirectional,
                                          sourceVocabSize: 13, targetVocabSize: 13), seed: 7)
    }

    func testBatchGradientsEqualSentenceBySentence() {
        for (cell, bidirectional, layers) in [(RecurrentCell.gru, true, 2), (.lstm, true, 1), (.rnnTanh, false, 2)] {
            let translator = model(cell, bidirectional: bidirectional, layers: layers)
            let workspace = TranslatorWorkspace(translator.architecture)
            translator.store.zeroGradients()
            let batch = SentenceBatch(pairs: pairs, pad: 0, bos: 2, eos: 3)
            let (loss, tokens) = translator.accumulateGradients(batch, workspace: workspace)
            let batchGradients = Array(translator.store.allGradients).map { $0 * Float(tokens) }
            var summed = [Float](repeating: 0, count: batchGradients.count)
            var lossSum: Float = 0
            for pair in pairs {
                translator.store.zeroGradients()
                let (l, n) = translator.accumulateGradients(SentenceBatch(pairs: [pair], pad: 0, bos: 2, eos: 3), workspace: workspace)
                lossSum += l * Float(n)
                for (i, g) in translator.store.allGradients.enumerated() { summed[i] += g * Float(n) }
            }
            XCTAssertEqual(loss * Float(tokens), lossSum, accuracy: 1e-4, "\(cell)")
            let scale = max(summed.map(abs).max()!, 1e-3)
            let worst = zip(batchGradients, summed).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-4 * scale, "\(cell): gradients differ by \(worst)")
        }
    }

    func testGreedyAndBeamBatchEqualsOneByOne() {
        let translator = model(.gru, bidirectional: true, layers: 1)
        let sources = pairs.map(\.source)
        let batch = translator.greedy(SentenceSources(sources, pad: 0, eos: 3), specials: specials)
        for (source, hypothesis) in zip(sources, batch) {
            let alone = translator.greedy(SentenceSources([source], pad: 0, eos: 3), specials: specials)[0]
            XCTAssertEqual(alone.tokens, hypothesis.tokens)
            XCTAssertEqual(translator.beamSearch(source, beam: 1, specials: specials).tokens, hypothesis.tokens)
            XCTAssertLessThanOrEqual(hypothesis.tokens.count, translator.architecture.outputLimit(sourceTokens: source.count))
            XCTAssertFalse(hypothesis.tokens.contains(specials.pad) || hypothesis.tokens.contains(specials.bos))
            let beam = translator.beamSearch(source, beam: 3, specials: specials)
            XCTAssertLessThanOrEqual(beam.tokens.count, translator.architecture.outputLimit(sourceTokens: source.count))
            XCTAssertEqual(beam.alignment.count, beam.tokens.count)
        }
        // A batch of beam searches (rows of different sentences in one decoder step, finishing at
        // different steps) gives each sentence what it gets alone: tokens, score and alignment.
        for K in [2, 4] {
            let batched = translator.beamSearch(sources, beam: K, lengthPenalty: 0.6, specials: specials)
            for (source, hypothesis) in zip(sources, batched) {
                let alone = translator.beamSearch(source, beam: K, lengthPenalty: 0.6, specials: specials)
                XCTAssertEqual(hypothesis.tokens, alone.tokens, "K=\(K)")
                XCTAssertEqual(hypothesis.logProbability, alone.logProbability, accuracy: 1e-4, "K=\(K)")
                XCTAssertEqual(hypothesis.alignment.count, alone.alignment.count)
                for (a, b) in zip(hypothesis.alignment, alone.alignment) {
                    XCTAssertEqual(a.count, b.count)
                    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5) }
                }
            }
        }
    }
}

/// The forward-only loss (validation's) equals the training loss without dropout and leaves the
/// gradients alone.
final class ForwardOnlyLossTests: XCTestCase {
    func testLossMatchesTrainingLossAndKeepsGradients() {
        for cell in [RecurrentCell.gru, .lstm] {
            let a = TranslatorArchitecture(cell: cell, embeddingSize: 6, hiddenSize: 8, numLayers: 2, sourceVocabSize: 11, targetVocabSize: 13)
            let translator = Translator(a, seed: 3)
            let batch = SentenceBatch(pairs: [([4, 5, 6], [7, 8]), ([9, 10], [4, 5, 6, 12])], pad: 0, bos: 2, eos: 3)
            let workspace = TranslatorWorkspace(a)
            translator.store.zeroGradients()
            let (trained, tokens) = translator.accumulateGradients(batch, workspace: workspace)
            let gradients = Array(translator.store.allGradients)
            let (loss, count) = translator.loss(batch, workspace: workspace)
            XCTAssertEqual(loss, trained)
            XCTAssertEqual(count, tokens)
            XCTAssertEqual(Array(translator.store.allGradients), gradients, "forward only")
        }
    }
}
