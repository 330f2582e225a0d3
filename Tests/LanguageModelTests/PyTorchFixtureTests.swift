import Foundation
import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import LanguageModel

/// Models written by PyTorch (Tools/make_lm_fixture.py): Glossa must load them and reproduce
/// PyTorch's perplexity (1e-4 relative), the gradient of one training chunk and the next-word
/// distribution of a prompt.
final class PyTorchFixtureTests: XCTestCase {
    static let names = ["lstm2", "lstm-tied", "gru2", "rnn-tanh", "rnn-relu", "rnn-sigmoid"]

    struct Expected: Decodable {
        var perplexity: Double
        var tokens: Int
        var chunk_batch: Int
        var chunk_bptt: Int
        var chunk_loss: Double
        var next_log_probs: [Double]
    }

    typealias Fixture = (folder: String, model: RNNLanguageModel, vocabulary: Vocabulary, expected: Expected, stream: [Int32])
    nonisolated(unsafe) static var loaded: [String: Fixture] = [:]

    /// The fixture `name`, loaded once per test run.
    func fixture(_ name: String) throws -> Fixture {
        if let f = Self.loaded[name] { return f }
        let f = try load(name)
        Self.loaded[name] = f
        return f
    }

    func load(_ name: String) throws -> Fixture {
        let root = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).path
        let folder = root + "/" + name
        let model = try RNNLanguageModel.load(from: folder)
        let vocabulary = try Vocabulary(contentsOf: folder + "/vocab.txt")
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        let expected = try JSONDecoder().decode(Expected.self, from: data)
        let stream = try TokenStream(path: root + "/tiny.txt", tokenizer: Tokenizer(settings: model.config.tokenizer),
                                     vocabulary: vocabulary)
        return (folder, model, vocabulary, expected, stream.ids)
    }

    func testStreamPerplexityMatchesPyTorch() throws {
        for name in Self.names {
            let f = try fixture(name)
            for bptt in [1, 7, 35, 500] {
                let result = f.model.perplexity(of: f.stream, batchSize: 1, bptt: bptt)
                XCTAssertEqual(result.tokens, f.expected.tokens, name)
                let relative = abs(result.perplexity - f.expected.perplexity) / f.expected.perplexity
                XCTAssertLessThan(relative, 1e-4, "\(name) bptt \(bptt): \(result.perplexity) vs PyTorch \(f.expected.perplexity)")
            }
        }
    }

    func testChunkLossAndGradientsMatchPyTorch() throws {
        for name in Self.names {
            let f = try fixture(name)
            let batches = LanguageModelBatches(stream: f.stream, batchSize: f.expected.chunk_batch, bptt: f.expected.chunk_bptt)
            let chunk = batches.chunk(0)
            f.model.store.zeroGradients()
            let (nll, _) = f.model.trainingStep(chunk, state: f.model.zeroState(batch: chunk.batchSize), dropout: DropoutKey(seed: 1, step: 0),
                                                workspace: LanguageModelWorkspace())
            let loss = nll / Double(chunk.batchSize)
            XCTAssertEqual(loss, f.expected.chunk_loss, accuracy: 1e-4 * f.expected.chunk_loss, name)
            let grads = try SafeTensors.read(f.folder + "/expected.safetensors")
            XCTAssertEqual(grads.count, f.model.store.parameters.count, "\(name): one gradient per parameter")
            for (gradName, expected) in grads {
                let paramName = String(gradName.dropFirst("grad.".count))
                let p = try XCTUnwrap(f.model.store[paramName], "\(name): no parameter \(paramName)")
                let actual = f.model.store.gradientTensor(p)
                XCTAssertEqual(actual.shape, expected.shape, "\(name) \(paramName)")
                let scale = max(expected.data.map(abs).max() ?? 0, 1e-3)
                XCTAssertLessThan(actual.maxAbsDifference(expected) / scale, 1e-4, "\(name) \(paramName)")
            }
        }
    }

    func testNextWordDistributionMatchesPyTorch() throws {
        for name in Self.names {
            let f = try fixture(name)
            let prompt: [Int32] = [f.vocabulary.eosID, f.vocabulary.id("the"), f.vocabulary.id("cat")]
            let (logProbs, _) = f.model.nextLogProbabilities(after: prompt, state: f.model.zeroState(batch: 1),
                                                             workspace: LanguageModelWorkspace())
            XCTAssertEqual(logProbs.count, f.expected.next_log_probs.count)
            for (a, e) in zip(logProbs, f.expected.next_log_probs) {
                XCTAssertEqual(Double(a), e, accuracy: 1e-4 * max(1, abs(e)), name)
            }
        }
    }

    func testSavedModelRoundTripsAndKeepsPyTorchNames() throws {
        let f = try fixture("lstm-tied")
        let temporary = try TemporaryFolder("lm-roundtrip")
        defer { temporary.remove() }
        let folder = temporary.path
        try f.model.save(to: folder)
        let original = try SafeTensors.read(f.folder + "/model.safetensors")
        let written = try SafeTensors.read(folder + "/model.safetensors")
        XCTAssertEqual(Set(written.map(\.name)), Set(original.map(\.name)), "the same names PyTorch's state_dict has")
        for (name, tensor) in original {
            XCTAssertEqual(written.first { $0.name == name }?.tensor, tensor, name)
        }
        let reloaded = try RNNLanguageModel.load(from: folder)
        XCTAssertEqual(reloaded.config, f.model.config)
        XCTAssertEqual(reloaded.perplexity(of: f.stream).perplexity, f.model.perplexity(of: f.stream).perplexity)
    }
}
