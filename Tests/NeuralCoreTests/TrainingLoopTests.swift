import Foundation
import TestSupport
import XCTest
@testable import NeuralCore

/// The shared loop on a scripted task: early stopping's one meaning of `patience`, best-model
/// saving, the divergence error, the gradient-complete hook.
final class TrainingLoopTests: XCTestCase {
    final class ScriptedTask: TrainingTask {
        let store = ParameterStore()
        let w: Parameter
        let losses: [Double]
        var gradient: Float = 1
        var evaluations = 0, saves = 0

        init(losses: [Double]) {
            self.losses = losses
            w = store.add("w", shape: [1])
        }

        func batchCount(epoch: Int) -> Int { 2 }
        func accumulateGradients(epoch: Int, batch: Int, dropout: DropoutKey) -> StepLoss {
            store.gradient(w).pointee += gradient
            return StepLoss(sum: Double(gradient), tokens: 1)
        }
        func validate() -> Validation? {
            defer { evaluations += 1 }
            return Validation(loss: losses[evaluations], tokens: 1)
        }
        func saveModel(to folder: String) throws { saves += 1 }
    }

    final class CountingReducer: GradientReducer {
        var calls = 0
        func reduce(gradients: UnsafeMutableBufferPointer<Float>, loss: inout StepLoss) {
            calls += 1
            XCTAssertEqual(gradients[0], 1, "complete and untouched (no clipping, no optimizer yet)")
        }
    }

    var temporary: TemporaryFolder?
    var folder: String { temporary!.path }

    override func setUpWithError() throws {
        temporary = try TemporaryFolder("loop")
    }
    override func tearDown() { temporary?.remove() }

    func loop(_ task: ScriptedTask, patience: Int?) throws -> TrainingLoop {
        let settings = TrainingSettings(epochs: 20, patience: patience, batchSize: 1, optimizer: .sgd, learningRate: 0.1, clip: 0, dropout: 0)
        let loop = try TrainingLoop(task: task, output: folder, settings: settings,
                                    state: TrainingState(learningRate: settings.learningRate, task: "scripted"))
        loop.shouldStop = { false }
        return loop
    }

    func testPatienceCountsEpochsWithoutANewBest() throws {
        let task = ScriptedTask(losses: [5, 3, 4, 3.5, 3.8, 3.9, 1])
        let loop = try loop(task, patience: 2)
        let reducer = CountingReducer()
        loop.gradientReducer = reducer
        XCTAssertEqual(try loop.run(), .earlyStopped)
        XCTAssertEqual(task.evaluations, 4, "best at the 2nd, then two without a new best (4, 3.5)")
        XCTAssertEqual(task.saves, 2)
        XCTAssertEqual(reducer.calls, 8, "once per step")
        XCTAssertEqual(loop.state.records.map(\.best), [true, true, false, false])
        XCTAssertEqual(try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").count, 4)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + TrainingCurve.fileName))
        let checkpoint = try TrainingCheckpoint.read(from: folder)
        XCTAssertEqual(checkpoint.state.stop, .earlyStopped)
        XCTAssertEqual(checkpoint.tensors["param.w"]?.data, [loop.task.store.values[0]])
    }

    func testDivergenceIsAnErrorNamingTheStep() throws {
        let task = ScriptedTask(losses: [1, 1])
        task.gradient = .nan
        XCTAssertThrowsError(try loop(task, patience: nil).run()) { error in
            XCTAssertTrue("\(error)".contains("at step 1") && "\(error)".contains("--lr"), "\(error)")
        }
    }

    func testResumeContractNamesTheChangedSetting() {
        XCTAssertNoThrow(try ResumeContract.check(stored: ["--hidden": "8", "--epochs": "3"], requested: ["--hidden": "8", "--epochs": "9"], file: "c"))
        XCTAssertThrowsError(try ResumeContract.check(stored: ["--hidden": "8"], requested: ["--hidden": "16"], file: "c")) { error in
            XCTAssertTrue("\(error)".hasPrefix("c: --hidden was 8"), "\(error)")
        }
    }
}
