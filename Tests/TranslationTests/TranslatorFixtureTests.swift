import Foundation
import NeuralCore
import TextProcessing
import XCTest
@testable import Translation

/// The whole translator against PyTorch (Tools/make_attention_fixture.py builds the module of
/// Tools/seq2seq_reference.py from DESIGN.md, in float64): the loss and every gradient on a padded
/// batch, and greedy outputs. Float32 here, so values agree to about 1e-5 of their scale.
final class TranslatorFixtureTests: XCTestCase {
    struct Expected: Decodable {
        var sources: [[Int32]], targets: [[Int32]]
        var loss: Double
        var gradients: [String: [Double]]
        var greedy: [[Int32]]
        var alignments: [[[Double]]]
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    let specials = SpecialTokens(pad: 0, unk: 1, bos: 2, eos: 3)

    func load(_ name: String, cell: RecurrentCell, bidirectional: Bool, layers: Int) throws -> (Translator, Expected) {
        let architecture = TranslatorArchitecture(cell: cell, embeddingSize: 6, hiddenSize: 8, numLayers: layers,
                                                  bidirectionalEncoder: bidirectional, sourceVocabSize: 13,
                                                  targetVocabSize: 15, maxOutputRatio: 1.5)
        let model = Translator(architecture)
        try model.store.load(from: Self.fixtures.appendingPathComponent("\(name)/model.safetensors").path)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("\(name).json")))
        return (model, expected)
    }

    func checkLossAndGradients(_ model: Translator, _ expected: Expected) {
        let batch = SentenceBatch(pairs: zip(expected.sources, expected.targets).map { ($0, $1) }, pad: 0, bos: 2, eos: 3)
        model.store.zeroGradients()
        let (loss, tokens) = model.accumulateGradients(batch, workspace: TranslatorWorkspace(model.architecture))
        XCTAssertEqual(tokens, expected.targets.map { $0.count + 1 }.reduce(0, +))
        XCTAssertEqual(Double(loss), expected.loss, accuracy: 1e-5)
        XCTAssertEqual(Set(model.store.parameters.map(\.name)), Set(expected.gradients.keys))
        for p in model.store.parameters {
            let mine = model.store.gradientTensor(p).data
            let theirs = expected.gradients[p.name]!
            XCTAssertEqual(mine.count, theirs.count, p.name)
            let scale = max(1e-3, theirs.map(abs).max()!)
            let worst = zip(mine, theirs).map { abs(Double($0) - $1) }.max()!
            XCTAssertLessThan(worst, 2e-5 * max(1, scale), "\(p.name): largest difference \(worst) (scale \(scale))")
        }
    }

    func checkGreedy(_ model: Translator, _ expected: Expected) {
        let batch = model.greedy(SentenceSources(expected.sources, pad: 0, eos: 3), specials: specials)
        XCTAssertEqual(batch.map(\.tokens), expected.greedy)
        for (hypothesis, alignment) in zip(batch, expected.alignments) {
            XCTAssertEqual(hypothesis.alignment.count, alignment.count)
            for (row, theirs) in zip(hypothesis.alignment, alignment) {
                XCTAssertEqual(row.count, theirs.count)
                for (x, y) in zip(row, theirs) { XCTAssertEqual(Double(x), y, accuracy: 1e-5) }
            }
        }
        // One by one: padding changes nothing.
        for (source, tokens) in zip(expected.sources, expected.greedy) {
            XCTAssertEqual(model.greedy(SentenceSources([source], pad: 0, eos: 3), specials: specials)[0].tokens, tokens)
        }
    }

    func testBidirectionalTwoLayerGRUMatchesPyTorch() throws {
        let (model, expected) = try load("tiny-translator-gru", cell: .gru, bidirectional: true, layers: 2)
        checkLossAndGradients(model, expected)
        checkGreedy(model, expected)
    }

    func testUnidirectionalLSTMMatchesPyTorch() throws {
        let (model, expected) = try load("tiny-translator-lstm", cell: .lstm, bidirectional: false, layers: 1)
        checkLossAndGradients(model, expected)
        checkGreedy(model, expected)
    }
}
