import Foundation
import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import Translation

/// The model directory: config.json keys exactly as DESIGN.md names them, a round trip that keeps
/// every weight, and one-line errors that name the file for what a user can get wrong.
final class TranslationModelFileTests: XCTestCase {
    func makeModel() throws -> TranslationModel {
        let vocabulary = try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "x", "y"])
        let architecture = TranslatorArchitecture(cell: .lstm, embeddingSize: 3, hiddenSize: 4, numLayers: 2, sourceVocabSize: 6, targetVocabSize: 6)
        return TranslationModel(config: TranslatorConfig(architecture: architecture, sourceTokenizer: .whitespace, targetTokenizer: .icu(keepPunctuation: true)),
                                translator: Translator(architecture, seed: 4), sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
    }

    func testRoundTripAndKeys() throws {
        let temporary = try TemporaryFolder("model")
        defer { temporary.remove() }
        let folder = temporary.path
        let model = try makeModel()
        try model.save(to: folder)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))) as! [String: Any]
        XCTAssertEqual(Set(json.keys), ["model_type", "cell", "embedding_size", "hidden_size", "num_layers", "bidirectional_encoder",
                                        "source_vocab_size", "target_vocab_size", "max_output_ratio", "source_tokenizer", "target_tokenizer"])
        XCTAssertEqual(json["model_type"] as? String, "rnn-seq2seq-attention")
        XCTAssertEqual((json["source_tokenizer"] as? [String: Any])?["kind"] as? String, "whitespace")
        let loaded = try TranslationModel.load(from: folder)
        XCTAssertEqual(loaded.config, model.config)
        XCTAssertEqual(loaded.translator.store.snapshot(), model.translator.store.snapshot())
        XCTAssertEqual(loaded.translator.store.parameters.map(\.name).first, "encoder.embedding.weight")
        XCTAssertTrue(loaded.translator.store.parameters.contains { $0.name == "encoder.rnn.weight_hh_l1_reverse" })
        XCTAssertEqual(loaded.translator.store.parameters.last?.name, "decoder.output.bias")

        // A vocabulary that disagrees with config.json is blamed (config.json agrees with the weights).
        try "<pad>\n<unk>\n<bos>\n<eos>\nx\n".write(toFile: folder + "/target.vocab.txt", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TranslationModel.load(from: folder)) { error in
            XCTAssertTrue("\(error)".hasPrefix(folder + "/target.vocab.txt: has 5 tokens but config.json says target_vocab_size 6"), "\(error)")
        }
        XCTAssertThrowsError(try TranslationModel.load(from: folder + "/missing")) { error in
            XCTAssertTrue("\(error)".contains("missing"), "\(error)")
        }
        // Another model's directory (a language model's config) is named as such, not as a broken config.
        try #"{"model_type": "rnn-lm", "cell": "lstm"}"#.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TranslationModel.load(from: folder)) { error in
            XCTAssertTrue("\(error)".contains("model_type is \"rnn-lm\", not \"rnn-seq2seq-attention\": this is not a translator"), "\(error)")
        }
    }
}
