import Foundation
import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import LanguageModel

/// Loading a model directory refuses the wrong kind of checkpoint, missing and mis-shaped tensors;
/// prediction and generation behave.
final class ModelDirectoryTests: XCTestCase {
    var folder = ""
    var fixture = ""

    override func setUpWithError() throws {
        folder = try TemporaryFolder("lm-dir").path
        fixture = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).path + "/lstm2"
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: fixture + "/" + name, toPath: folder + "/" + name)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func loadError() -> String {
        do {
            _ = try NextWordPredictor(folder: folder)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func rewriteTensors(_ change: (inout [(name: String, tensor: Tensor)]) -> Void) throws {
        var tensors = try SafeTensors.read(folder + "/model.safetensors")
        change(&tensors)
        try SafeTensors.write(tensors, to: folder + "/model.safetensors")
    }

    func testTheFixtureLoads() {
        XCTAssertEqual(loadError(), "no error")
    }

    func testWrongKindOfCheckpoint() throws {
        try #"{"model_type": "rnn-seq2seq-attention", "cell": "gru"}"#.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        let message = loadError()
        XCTAssertTrue(message.contains("config.json") && message.contains("not a language model"), message)
    }

    func testUnknownCell() throws {
        let config = try String(contentsOfFile: folder + "/config.json", encoding: .utf8).replacingOccurrences(of: "\"lstm\"", with: "\"transformer\"")
        try config.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        let message = loadError()
        XCTAssertTrue(message.contains("cell") && message.contains("rnn_sigmoid"), message)
    }

    func testMissingTensor() throws {
        try rewriteTensors { $0.removeAll { $0.name == "rnn.weight_hh_l1" } }
        let message = loadError()
        XCTAssertTrue(message.contains("model.safetensors") && message.contains("rnn.weight_hh_l1") && message.contains("missing"), message)
    }

    func testMisShapedTensor() throws {
        try rewriteTensors { tensors in
            let i = tensors.firstIndex { $0.name == "decoder.bias" }!
            tensors[i].tensor = Tensor(zeros: [3])
        }
        let message = loadError()
        XCTAssertTrue(message.contains("decoder.bias") && message.contains("shape"), message)
    }

    func testUnexpectedTensor() throws {
        try rewriteTensors { $0.append((name: "rnn.weight_ih_l7", tensor: Tensor(zeros: [2]))) }
        XCTAssertTrue(loadError().contains("rnn.weight_ih_l7"))
    }

    func testVocabularyOfAnotherSize() throws {
        try "<pad>\n<unk>\n<bos>\n<eos>\nthe\n".write(toFile: folder + "/vocab.txt", atomically: true, encoding: .utf8)
        XCTAssertTrue(loadError().contains("vocab_size"))
    }

    func testMissingFolderAndFiles() throws {
        try FileManager.default.removeItem(atPath: folder + "/model.safetensors")
        XCTAssertTrue(loadError().contains("model.safetensors"))
        folder += "-nowhere"
        XCTAssertTrue(loadError().contains("no such model directory"))
    }

    func testPredictionIsADistributionSortedByProbability() throws {
        let predictor = try NextWordPredictor(folder: folder)
        let all = predictor.predict("the cat", topK: 1000)
        XCTAssertEqual(all.count, predictor.vocabulary.count - 2, "every token but <pad> and <bos>")
        let (logProbs, _) = predictor.model.nextLogProbabilities(after: predictor.promptIDs("the cat"),
                                                                 state: predictor.model.zeroState(batch: 1),
                                                                 workspace: LanguageModelWorkspace())
        for p in all { XCTAssertEqual(p.probability, exp(Double(logProbs[Int(predictor.vocabulary.id(p.token))])), accuracy: 1e-6) }
        let excluded = [predictor.vocabulary.padID, predictor.vocabulary.bosID].map { exp(Double(logProbs[Int($0)])) }
        XCTAssertEqual(all.map(\.probability).reduce(0, +) + excluded.reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertEqual(all.map(\.probability), all.map(\.probability).sorted(by: >))
        XCTAssertFalse(all.contains { $0.token == "<pad>" || $0.token == "<bos>" })
        XCTAssertEqual(predictor.predict("the cat", topK: 3).map(\.token), all.prefix(3).map(\.token))
    }

    func testGenerationIsSeededAndGreedyAtTemperatureZero() throws {
        let predictor = try NextWordPredictor(folder: folder)
        let a = predictor.generate(prompt: "the", maxTokens: 12, temperature: 1, seed: 7)
        XCTAssertEqual(a, predictor.generate(prompt: "the", maxTokens: 12, temperature: 1, seed: 7))
        XCTAssertLessThanOrEqual(a.count, 12)
        XCTAssertFalse(a.contains { ["<pad>", "<bos>", "<unk>", "<eos>"].contains($0) })
        // Greedy: each word is the top prediction after the text so far.
        let greedy = predictor.generate(prompt: "the", maxTokens: 4, temperature: 0)
        var text = "the"
        for word in greedy {
            let top = predictor.predict(text, topK: 5).first { !["<unk>", "<eos>"].contains($0.token) }
            XCTAssertEqual(word, top?.token)
            text += " " + word
        }
        XCTAssertEqual(predictor.generate(prompt: "the", maxTokens: 4, temperature: 5, topK: 1), greedy)
    }
}
