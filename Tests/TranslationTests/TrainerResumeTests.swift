import Foundation
import NeuralCore
import TextProcessing
import XCTest
@testable import Translation

/// Stopping mid-epoch (what Ctrl-C does) saves the state; `resume` continues the same epoch from the
/// next batch and finishes the run.
final class TrainerResumeTests: XCTestCase {
    func testStopAndResume() throws {
        let data = ReverseTaskTests.corpus(300, seed: 4)
        let vocabulary = ParallelCorpus.vocabulary(data.sources, minCount: 1, maxSize: nil)
        let architecture = TranslatorArchitecture(cell: .lstm, embeddingSize: 8, hiddenSize: 8, sourceVocabSize: vocabulary.count,
                                                  targetVocabSize: vocabulary.count)
        func makeModel() -> TranslationModel {
            TranslationModel(config: TranslatorConfig(architecture: architecture, sourceTokenizer: .whitespace, targetTokenizer: .whitespace),
                             translator: Translator(architecture, seed: 2), sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
        }
        let pairs = zip(data.sources, data.targets).map { (source: vocabulary.encode($0), target: vocabulary.encode($1)) }
        var options = TranslationTrainingOptions()
        options.epochs = 2
        options.batchSize = 50
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-resume-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: output) }

        var batches = 0
        let first = try TranslationTrainer(model: makeModel(), pairs: pairs, validPairs: [], validReferences: [], options: options, output: output)
            .train(progress: { _ in batches += 1 }, shouldStop: { batches >= 3 })
        XCTAssertTrue(first.isEmpty, "stopped inside epoch 1")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/training/state.json"))
        // The CLI resumes from the model files (config and vocabularies) already in the folder.
        XCTAssertNoThrow(try TranslationModel.load(from: output))

        var resumedAt: [Int] = []
        let history = try TranslationTrainer(model: makeModel(), pairs: pairs, validPairs: [], validReferences: [], options: options, output: output)
            .train(resume: true, progress: { resumedAt.append($0.batch) })
        XCTAssertEqual(resumedAt.first, 4, "continues with batch 4 of epoch 1")
        XCTAssertEqual(history.map(\.epoch), [1, 2])
        XCTAssertNoThrow(try TranslationModel.load(from: output))
        XCTAssertThrowsError(try TranslationTrainer(model: makeModel(), pairs: pairs, validPairs: [], validReferences: [], options: options,
                                                    output: output + "-none").train(resume: true))
    }
}
