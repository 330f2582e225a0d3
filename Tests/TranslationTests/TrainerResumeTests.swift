import Foundation
import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import Translation

/// Stopping mid-epoch (what Ctrl-C does) saves a checkpoint; `resume` continues from the next batch
/// and ends bit-identical to an uninterrupted run, with Adam and dropout (issue 11, item 4).
final class TrainerResumeTests: XCTestCase {
    var temporary: TemporaryFolder?
    var folder: String { temporary!.path }

    override func setUpWithError() throws {
        temporary = try TemporaryFolder("resume")
    }

    override func tearDown() { temporary?.remove() }

    func testInterruptedAndResumedRunEqualsUninterruptedRun() throws {
        let corpus = ReverseTaskTests.corpus(300, seed: 4), valid = ReverseTaskTests.corpus(20, seed: 5)
        let vocabulary = ParallelCorpus.vocabulary(corpus.sources, minCount: 1, maxSize: nil)
        let architecture = TranslatorArchitecture(cell: .lstm, embeddingSize: 8, hiddenSize: 8, sourceVocabSize: vocabulary.count,
                                                  targetVocabSize: vocabulary.count)
        func makeModel() -> TranslationModel {
            TranslationModel(config: TranslatorConfig(architecture: architecture, sourceTokenizer: .whitespace, targetTokenizer: .whitespace),
                             translator: Translator(architecture, seed: 2), sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
        }
        func encode(_ c: (sources: [[String]], targets: [[String]])) -> [(source: [Int32], target: [Int32])] {
            zip(c.sources, c.targets).map { (source: vocabulary.encode($0), target: vocabulary.encode($1)) }
        }
        let data = TranslationData(pairs: encode(corpus), validPairs: encode(valid),
                                   validReferences: valid.targets.map { $0.joined(separator: " ") })
        var options = TranslationTrainingOptions()
        options.training.epochs = 3
        options.training.batchSize = 50
        options.training.dropout = 0.3
        XCTAssertEqual(options.training.optimizer, .adam)

        let straight = try TranslationTrainer.start(model: makeModel(), data: data, options: options, output: folder + "/straight")
        XCTAssertEqual(try straight.run(), .finished)

        var steps = 0
        let first = try TranslationTrainer.start(model: makeModel(), data: data, options: options, output: folder + "/resumed")
        first.loop.shouldStop = { steps += 1; return steps == 3 }
        XCTAssertEqual(try first.run(), .interrupted)
        XCTAssertTrue(first.loop.state.records.isEmpty, "stopped inside epoch 1")
        XCTAssertThrowsError(try TranslationTrainer.resume(output: folder + "/resumed", data: data)) { error in
            XCTAssertTrue("\(error)".contains("in use by another glossa run"), "\(error): the first trainer still holds the folder")
        }
        let firstStep = first.loop.state.step
        XCTAssertEqual(firstStep, 3)
        _ = consume first

        // A changed setting is refused, naming it; a changed --max-steps is not.
        XCTAssertThrowsError(try TranslationTrainer.resume(output: folder + "/resumed", changing: { var o = $0; o.hiddenSize = 16; return o },
                                                           data: data)) { error in
            XCTAssertTrue("\(error)".contains("--hidden was 8"), "\(error)")
        }
        var resumedAt: [Int] = []
        let limited = try TranslationTrainer.resume(output: folder + "/resumed", changing: { var o = $0; o.training.maxSteps = 10; return o },
                                                    data: data)
        limited.loop.onProgress = { resumedAt.append($0.batch) }
        XCTAssertEqual(try limited.run(), .stepLimit)
        XCTAssertEqual(resumedAt.first, 4, "continues with batch 4 of epoch 1")
        _ = consume limited

        let resumed = try TranslationTrainer.resume(output: folder + "/resumed", changing: { var o = $0; o.training.maxSteps = nil; return o },
                                                    data: data)
        XCTAssertEqual(try resumed.run(), .finished)
        XCTAssertEqual(resumed.loop.state.step, straight.loop.state.step)
        XCTAssertEqual(Array(resumed.model.translator.store.allValues), Array(straight.model.translator.store.allValues), "bit-identical weights")
        XCTAssertEqual(resumed.loop.state.records.filter { $0.partial != true }.map(\.bleu), straight.loop.state.records.map(\.bleu))
        XCTAssertNoThrow(try TranslationModel.load(from: folder + "/resumed"))
        XCTAssertThrowsError(try TranslationTrainer.resume(output: folder + "/none", data: data))
    }
}
