import Foundation
import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import LanguageModel

/// Training: it learns, it keeps the best model, it resumes exactly, it refuses bad input.
final class LanguageModelTrainerTests: XCTestCase {
    var temporary: TemporaryFolder?
    var folder: String { temporary!.path }

    override func setUpWithError() throws {
        temporary = try TemporaryFolder("lm-trainer")
    }

    override func tearDown() { temporary?.remove() }

    /// Writes `text` to a file in the test folder and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A small corpus with structure: counting sentences the model can learn.
    func corpus(lines: Int, seed: Int) -> String {
        let words = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
        return (0..<lines).map { i in
            let start = (i * 3 + seed) % words.count
            return (0..<5).map { words[(start + $0) % words.count] }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    func tinyOptions() -> LanguageModelTrainingOptions {
        var o = LanguageModelTrainingOptions()
        o.layers = 1
        o.embeddingSize = 12
        o.hiddenSize = 16
        o.bptt = 6
        o.training.batchSize = 4
        o.training.epochs = 4
        o.decayAfter = 2
        return o
    }

    func start(_ options: LanguageModelTrainingOptions, output: String? = nil) throws -> LanguageModelTrainer {
        let train = try file("train.txt", corpus(lines: 60, seed: 0))
        let valid = try file("valid.txt", corpus(lines: 12, seed: 1))
        return try LanguageModelTrainer.start(train: train, valid: valid, test: valid, output: output ?? folder + "/model",
                                              options: options, tokenizer: .whitespace, vocabulary: .build(minCount: 1, maxSize: nil))
    }

    func testTrainingLearnsAStructuredCorpusAndWritesItsFiles() throws {
        var options = tinyOptions()
        options.training.optimizer = .adam
        options.training.learningRate = 0.02
        options.training.epochs = 8
        options.decayAfter = 6
        let trainer = try start(options)
        let stop = try trainer.run()
        XCTAssertEqual(stop, .finished)
        let out = folder + "/model"
        for name in ["config.json", "model.safetensors", "vocab.txt", "metrics.jsonl", "training-curve.svg", "checkpoint.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name)
        }
        let records = trainer.loop.state.records
        XCTAssertEqual(records.filter { $0.split == .valid }.count, 8)
        let first = try XCTUnwrap(records.first), best = try XCTUnwrap(trainer.bestValidPerplexity)
        XCTAssertLessThan(best, first.perplexity, "validation perplexity improves")
        XCTAssertLessThan(best, 2.0, "each word follows from the previous one (vocabulary of 12)")
        XCTAssertEqual(records.last?.split, .test)
        let rates = records.map { $0.learningRate.map { Float($0) } }
        XCTAssertEqual(rates, [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.01, 0.005, nil], "halved after every epoch past --decay-after")
        // The model on disk is the best one and reproduces the recorded perplexity.
        let predictor = try NextWordPredictor(folder: out)
        let again = try predictor.perplexity(file: folder + "/valid.txt", batchSize: 1, bptt: 35)
        XCTAssertEqual(again.perplexity, best, accuracy: 1e-9 * best)
        let lines = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, records.count)
        let svg = try String(contentsOfFile: out + "/training-curve.svg", encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("polyline") && svg.hasSuffix("</svg>\n"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2, "train and validation curves")
    }

    func testSameSeedGivesTheSameModel() throws {
        var options = tinyOptions()
        options.training.epochs = 1
        options.training.dropout = 0.3
        let a = try start(options, output: folder + "/a")
        try a.run()
        let b = try start(options, output: folder + "/b")
        try b.run()
        XCTAssertEqual(a.model.store.snapshot(), b.model.store.snapshot())
        options.training.seed = 2
        let c = try start(options, output: folder + "/c")
        try c.run()
        XCTAssertNotEqual(a.model.store.snapshot(), c.model.store.snapshot())
    }

    /// Stopping (Ctrl-C or --max-steps) and resuming follows the uninterrupted run step for step, with
    /// Adam and dropout, and under another thread count (issue 11, items 3 and 4): weights, Adam's
    /// moments, hidden state, dropout masks and learning rate.
    func testInterruptedAndResumedRunEqualsUninterruptedRun() throws {
        var options = tinyOptions()
        options.training.dropout = 0.2
        options.training.optimizer = .adam
        options.training.learningRate = 0.01
        defer { ComputeThreads.use(2) }
        ComputeThreads.use(2)
        let straight = try start(options, output: folder + "/straight")
        try straight.run()

        do {
            let interrupted = try start(options, output: folder + "/resumed")
            var steps = 0
            interrupted.loop.shouldStop = { steps += 1; return steps == 5 }
            XCTAssertEqual(try interrupted.run(), .interrupted)
            XCTAssertEqual(interrupted.loop.state.step, 5)
            XCTAssertThrowsError(try LanguageModelTrainer.resume(output: folder + "/resumed")) { error in
                XCTAssertTrue("\(error)".contains("in use by another glossa run"), "\(error)")
            }
        }
        ComputeThreads.use(1)
        do {
            let limited = try LanguageModelTrainer.resume(output: folder + "/resumed", changing: { var o = $0; o.training.maxSteps = 11; return o })
            XCTAssertEqual(limited.loop.state.step, 5)
            XCTAssertEqual(try limited.run(), TrainingState.Stop.stepLimit)
            XCTAssertEqual(limited.loop.state.step, 11)
        }
        XCTAssertThrowsError(try LanguageModelTrainer.resume(output: folder + "/resumed", changing: { var o = $0; o.training.dropout = 0.5; return o })) { error in
            XCTAssertTrue("\(error)".contains("--dropout was 0.2"), "\(error)")
        }
        ComputeThreads.use(2)
        let limited = try LanguageModelTrainer.resume(output: folder + "/resumed", changing: { var o = $0; o.training.maxSteps = 1_000_000; return o })
        XCTAssertEqual(try limited.run(), TrainingState.Stop.finished)
        XCTAssertEqual(limited.loop.state.step, straight.loop.state.step)
        XCTAssertEqual(limited.model.store.snapshot(), straight.model.store.snapshot(), "bit-identical weights")
        let test = { (t: LanguageModelTrainer) in t.loop.state.records.last { $0.split == .test }?.perplexity }
        XCTAssertEqual(test(limited), test(straight))
        _ = consume limited

        XCTAssertThrowsError(try LanguageModelTrainer.resume(output: folder + "/resumed")) { error in
            XCTAssertTrue("\(error)".contains("already finished"), "\(error)")
        }
    }

    /// Variational dropout (`--variational-dropout`): it changes training, a stopped and resumed run
    /// under another thread count follows the uninterrupted one bit for bit, and --resume refuses to
    /// switch it.
    func testVariationalDropoutResumesBitIdentically() throws {
        var options = tinyOptions()
        options.layers = 2
        options.training.dropout = 0.3
        options.training.epochs = 2
        options.variationalDropout = true
        defer { ComputeThreads.use(2) }
        ComputeThreads.use(2)
        let straight = try start(options, output: folder + "/straight")
        try straight.run()
        var perStep = options
        perStep.variationalDropout = false
        let unlocked = try start(perStep, output: folder + "/unlocked")
        try unlocked.run()
        XCTAssertNotEqual(unlocked.model.store.snapshot(), straight.model.store.snapshot(), "locked masks train differently")

        do {
            let interrupted = try start(options, output: folder + "/resumed")
            var steps = 0
            interrupted.loop.shouldStop = { steps += 1; return steps == 7 }
            XCTAssertEqual(try interrupted.run(), .interrupted)
        }
        XCTAssertThrowsError(try LanguageModelTrainer.resume(output: folder + "/resumed", changing: { var o = $0; o.variationalDropout = false; return o })) { error in
            XCTAssertTrue("\(error)".contains("--variational-dropout was true"), "\(error)")
        }
        ComputeThreads.use(1)
        let resumed = try LanguageModelTrainer.resume(output: folder + "/resumed")
        XCTAssertEqual(try resumed.run(), TrainingState.Stop.finished)
        XCTAssertEqual(resumed.loop.state.step, straight.loop.state.step)
        XCTAssertEqual(resumed.model.store.snapshot(), straight.model.store.snapshot(), "bit-identical weights")
    }

    /// Finite differences of one training chunk's loss (Σ −log p / B) with variational dropout on the
    /// embeddings, between the two layers and before the decoder: the masks are fixed by the key, so
    /// the loss is a smooth function of the weights and every gradient must match.
    func testVariationalDropoutGradients() {
        let config = LanguageModelConfig(cell: .lstm, embeddingSize: 4, hiddenSize: 5, numLayers: 2, vocabSize: 9,
                                         tokenizer: .whitespace)
        let model = RNNLanguageModel(config: config, dropout: 0.3, variationalDropout: true, initRange: 0.4, seed: 3)
        let (T, B) = (4, 3)
        let chunk = LanguageModelChunk(length: T, batchSize: B, input: [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4],
                                       target: [4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7])
        let key = DropoutKey(seed: 11, step: 2)
        let workspace = LanguageModelWorkspace()
        var state = model.zeroState(batch: B)
        state.h.data = (0..<state.h.count).map { Float($0 % 7) * 0.1 - 0.3 }
        model.store.zeroGradients()
        _ = model.trainingStep(chunk, state: state, dropout: key, workspace: workspace)
        let analytic = Array(model.store.allGradients)
        GradientCheck.checkParameters(model.store, samples: 6) {
            let nll = model.trainingStep(chunk, state: state, dropout: key, workspace: workspace).nll
            _ = model.store.allGradients.update(from: analytic)  // the check reads the analytic gradients
            return nll / Double(B)
        }
    }

    func testEarlyStoppingStopsWhenValidationRises() throws {
        var options = tinyOptions()
        options.training.epochs = 30
        options.training.patience = 0
        options.training.learningRate = 8   // too high on purpose: validation soon gets worse
        options.decayAfter = 100
        let trainer = try start(options)
        let stop = try trainer.run()
        let valid = trainer.loop.state.records.filter { $0.split == .valid }
        XCTAssertEqual(stop, .earlyStopped)
        let bestPerplexity = trainer.bestValidPerplexity
        _ = consume trainer
        XCTAssertLessThan(valid.count, 30)
        let best = valid.map(\.perplexity).min()!
        XCTAssertGreaterThan(valid.last!.perplexity, valid[valid.count - 2].perplexity, "stopped on a rise (patience 0)")
        XCTAssertGreaterThan(valid.last!.perplexity, best)
        XCTAssertEqual(bestPerplexity, best, "the best model is kept")
        XCTAssertThrowsError(try LanguageModelTrainer.resume(output: folder + "/model")) { error in
            XCTAssertTrue("\(error)".contains("stopped early"), "\(error)")
        }
    }

    func testDivergenceStopsWithTheStepAndAHint() throws {
        var options = tinyOptions()
        options.training.learningRate = 1e30
        options.training.clip = 0
        let trainer = try start(options)
        XCTAssertThrowsError(try trainer.run()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("at step"), message)
            XCTAssertTrue(message.contains("--lr"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/model/model.safetensors"))
    }

    func testBadInputIsAnErrorNamingTheFile() throws {
        let train = try file("train.txt", corpus(lines: 60, seed: 0))
        let valid = try file("valid.txt", corpus(lines: 5, seed: 1))
        func attempt(_ train: String, _ valid: String, _ options: LanguageModelTrainingOptions, output: String = "out") -> String {
            do {
                _ = try LanguageModelTrainer.start(train: train, valid: valid, test: nil, output: folder + "/" + output,
                                                   options: options, tokenizer: .whitespace, vocabulary: .build(minCount: 1, maxSize: nil))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(attempt(folder + "/missing.txt", valid, tinyOptions()).contains("missing.txt"))
        XCTAssertTrue(attempt(try file("empty.txt", ""), valid, tinyOptions()).contains("empty"))
        XCTAssertTrue(attempt(train, try file("blank.txt", "\n\n"), tinyOptions()).contains("blank.txt"))
        let unknown = attempt(train, try file("greek.txt", "άλφα βήτα\nγάμμα\n"), tinyOptions())
        XCTAssertTrue(unknown.contains("greek.txt") && unknown.contains("no word the vocabulary knows"), unknown)
        var long = tinyOptions()
        long.bptt = 500
        let bptt = attempt(train, valid, long)
        XCTAssertTrue(bptt.contains("--bptt 500") && bptt.contains("train.txt"), bptt)

        // An existing run is not overwritten; a running one holds its folder.
        var options = tinyOptions()
        options.training.maxSteps = 2
        do {
            let running = try start(options, output: folder + "/taken")
            try running.run()
            XCTAssertTrue(attempt(train, valid, tinyOptions(), output: "taken").contains("in use by another glossa run (pid \(getpid()))"))
        }
        XCTAssertTrue(attempt(train, valid, tinyOptions(), output: "taken").contains("--resume"))
    }
}
