import Foundation
import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import Translation

/// JoeyNMT's synthetic end-to-end check at tiny size: learn to reverse sequences of symbols.
final class ReverseTaskTests: XCTestCase {
    static let symbols = ["a", "b", "c", "d", "e", "f", "g", "h"]

    static func corpus(_ count: Int, seed: UInt64) -> (sources: [[String]], targets: [[String]]) {
        var rng = SplitMix64(seed: seed)
        var sources: [[String]] = [], targets: [[String]] = []
        for _ in 0..<count {
            let length = 1 + Int(rng.next() % 6)
            let sentence = (0..<length).map { _ in symbols[Int(rng.next() % UInt64(symbols.count))] }
            sources.append(sentence)
            targets.append(sentence.reversed())
        }
        return (sources, targets)
    }

    func testLearnsToReverseSequences() throws {
        let train = Self.corpus(2500, seed: 1), valid = Self.corpus(60, seed: 2)
        let vocabulary = ParallelCorpus.vocabulary(train.sources, minCount: 1, maxSize: nil)
        let architecture = TranslatorArchitecture(cell: .gru, embeddingSize: 16, hiddenSize: 32, sourceVocabSize: vocabulary.count,
                                                  targetVocabSize: vocabulary.count)
        let config = TranslatorConfig(architecture: architecture, sourceTokenizer: .whitespace, targetTokenizer: .whitespace)
        let model = TranslationModel(config: config, translator: Translator(architecture, seed: 3),
                                     sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
        let pairs = zip(train.sources, train.targets).map { (source: vocabulary.encode($0), target: vocabulary.encode($1)) }
        let validPairs = zip(valid.sources, valid.targets).map { (source: vocabulary.encode($0), target: vocabulary.encode($1)) }
        var options = TranslationTrainingOptions()
        options.training.epochs = 10
        options.training.batchSize = 32
        options.training.learningRate = 0.01
        options.training.dropout = 0
        options.training.patience = 10
        let temporary = try TemporaryFolder("reverse")
        defer { temporary.remove() }
        let output = temporary.path
        let data = TranslationData(pairs: pairs, validPairs: validPairs, validReferences: valid.targets.map { $0.joined(separator: " ") })
        let trainer = try TranslationTrainer.start(model: model, data: data, options: options, output: output)
        XCTAssertEqual(try trainer.run(), .finished)
        let history = trainer.loop.state.records
        XCTAssertEqual(history.count, 10)
        XCTAssertLessThan(history.last!.trainLoss!, history.first!.trainLoss!)
        XCTAssertGreaterThan(history.map { $0.bleu ?? 0 }.max()!, 90)
        XCTAssertEqual(TrainerFiles.lines(output + "/metrics.jsonl"), 10)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/training-curve.svg"))

        // The saved (best) model reverses held-out sequences, greedy and with a beam.
        let loaded = try TranslationModel.load(from: output)
        let lines = valid.sources.map { $0.joined(separator: " ") }
        let greedy = loaded.translate(lines).map(\.text)
        let exact = zip(greedy, valid.targets).filter { $0 == $1.joined(separator: " ") }.count
        XCTAssertGreaterThanOrEqual(exact, 54, "exact reversals: \(exact) of 60")
        let beam = loaded.translate(lines, options: TranslationOptions(beam: 4, lengthPenalty: 1)).map(\.text)
        XCTAssertGreaterThanOrEqual(zip(beam, valid.targets).filter { $0 == $1.joined(separator: " ") }.count, 54)
    }
}

enum TrainerFiles {
    static func lines(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }
}
