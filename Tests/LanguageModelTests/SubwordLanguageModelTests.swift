import Foundation
import NeuralCore
import TestSupport
import TextProcessing
import XCTest
@testable import LanguageModel

/// A subword language model (`lm train --bpe`): codes in its directory and config.json, pieces for
/// every input, perplexity per word, and whole words out of generate and predict.
final class SubwordLanguageModelTests: XCTestCase {
    func corpus(lines: Int, seed: Int) -> String {
        let words = ["seventeen", "seventy", "eighteen", "eighty", "nineteen", "ninety", "sixteen", "sixty"]
        return (0..<lines).map { i in (0..<5).map { words[(i * 3 + seed + $0) % words.count] }.joined(separator: " ") }
            .joined(separator: "\n") + "\n"
    }

    func testSubwordModelTrainsPredictsWholeWordsAndReportsPerWordPerplexity() throws {
        let temporary = try TemporaryFolder("lm-bpe")
        defer { temporary.remove() }
        let folder = temporary.path
        let train = folder + "/train.txt", valid = folder + "/valid.txt", output = folder + "/model"
        try corpus(lines: 60, seed: 0).write(toFile: train, atomically: true, encoding: .utf8)
        try corpus(lines: 12, seed: 1).write(toFile: valid, atomically: true, encoding: .utf8)
        var options = LanguageModelTrainingOptions()
        options.layers = 1
        options.embeddingSize = 12
        options.hiddenSize = 16
        options.bptt = 6
        options.training.batchSize = 4
        options.training.epochs = 2
        options.bpeMerges = 12
        let trainer = try LanguageModelTrainer.start(train: train, valid: valid, test: nil, output: output, options: options,
                                                     tokenizer: .whitespace, vocabulary: .build(minCount: 3, maxSize: 10))
        try trainer.run()

        // The codes are learn-bpe's on the training words, kept beside the model and named in config.json.
        let words = try BPEWords.count(files: [train], settings: .whitespace).counts
        XCTAssertEqual(try BPECodes(contentsOf: output + "/codes.bpe"), BPELearner(merges: 12).learn(counts: words))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/config.json"))) as! [String: Any]
        XCTAssertEqual(json["bpe_codes"] as? String, "codes.bpe")

        let predictor = try NextWordPredictor(folder: output)
        let vocabulary = predictor.vocabulary
        for character in "sevntyigh".map(String.init) {
            XCTAssertTrue(vocabulary.contains(character) && vocabulary.contains(character + "@@"), "every character kept: \(character)")
        }
        XCTAssertFalse(predictor.promptIDs("seventeen nineteenth tiny").contains(vocabulary.unkID), "no <unk> for known characters")
        let predictions = predictor.predict("seventeen eighteen", topK: 3)
        XCTAssertEqual(predictions.count, 3)
        XCTAssertTrue(predictions.allSatisfy { !$0.token.hasSuffix("@@") }, "\(predictions)")
        XCTAssertTrue(zip(predictions, predictions.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        let generated = predictor.generate(prompt: "sixty", maxTokens: 6, temperature: 0.8, seed: 3)
        XCTAssertLessThanOrEqual(generated.count, 6)
        XCTAssertTrue(generated.allSatisfy { !$0.contains("@@") }, "\(generated)")

        let result = try predictor.perplexity(file: valid)
        XCTAssertEqual(result.words, 12 * 5 + 12, "words and <eos>")
        let stream = try TokenStream(path: valid, tokenizer: predictor.tokenizer, vocabulary: vocabulary, segmenter: predictor.segmenter)
        XCTAssertGreaterThan(stream.count, 72, "more pieces than words")
        XCTAssertEqual(result.perWordPerplexity!, Foundation.exp(result.loss * Double(stream.count) / 72), accuracy: 1e-9 * result.perWordPerplexity!)
        XCTAssertGreaterThan(result.perWordPerplexity!, result.perplexity)
    }
}
