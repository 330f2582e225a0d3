import XCTest
@testable import NeuralCore

final class ScheduleTests: XCTestCase {
    func testDropoutIsSeededScaledAndTrainingOnly() {
        let d = Dropout(probability: 0.25)
        let x = Tensor(shape: [1000], repeating: 2)
        let key = DropoutKey(seed: 3, step: 7)
        let (y1, m1) = d.forward(x, steps: 10, batch: 4, key: key)
        let (y2, _) = d.forward(x, steps: 10, batch: 4, key: key)
        XCTAssertEqual(y1, y2, "same key, same mask")
        XCTAssertNotEqual(m1, d.forward(x, steps: 10, batch: 4, key: DropoutKey(seed: 3, step: 8)).mask, "another step, another mask")
        // A process holding rows 2 and 3 only (data parallelism) draws the same masks for them.
        let part = d.forward(Tensor(shape: [10, 2, 25], repeating: 2), steps: 10, batch: 2,
                             key: DropoutKey(seed: 3, step: 7, firstPosition: 2)).mask
        for t in 0..<10 { for j in 0..<25 { XCTAssertEqual(part.data[(t * 2 + 1) * 25 + j], m1.data[(t * 4 + 3) * 25 + j]) } }
        XCTAssertTrue(m1.data.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3) < 1e-6 })
        let kept = m1.data.filter { $0 > 0 }.count
        XCTAssertEqual(Double(kept) / 1000, 0.75, accuracy: 0.05)
        let dy = Tensor(shape: [1000], repeating: 1)
        XCTAssertEqual(d.backward(dy, mask: m1), m1)
    }

    func testPlateauSchedulerDecays() {
        var s = PlateauScheduler(learningRate: 20, factor: 0.25, patience: 0)
        XCTAssertEqual(s.record(validationLoss: 5), 20)
        XCTAssertEqual(s.record(validationLoss: 4), 20)
        XCTAssertEqual(s.record(validationLoss: 4.5), 5)
        XCTAssertEqual(s.record(validationLoss: 3), 5)
        var p = PlateauScheduler(learningRate: 1, factor: 0.5, patience: 2)
        for loss: Float in [3, 3, 3] { p.record(validationLoss: loss) }
        XCTAssertEqual(p.learningRate, 1, "best, then two bad epochs: tolerated")
        p.record(validationLoss: 3)
        XCTAssertEqual(p.learningRate, 0.5, "the third bad epoch decays")
    }
}
