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

    /// Variational dropout: a locked key gives row b the same mask at every time step (its own per
    /// row and site), the same as the unlocked key's mask at time 0, and the same in a process that
    /// holds only some rows.
    func testLockedDropoutKeepsOneMaskPerRowAcrossTime() {
        let d = Dropout(probability: 0.4)
        let (T, B, W) = (6, 3, 50)
        let x = Tensor(shape: [T, B, W], repeating: 1)
        let locked = DropoutKey(seed: 9, step: 4, site: 2, lockedAcrossTime: true)
        let m = d.forward(x, steps: T, batch: B, key: locked).mask
        func row(_ mask: Tensor, _ t: Int, _ b: Int, batch: Int = B) -> ArraySlice<Float> {
            mask.data[((t * batch + b) * W)..<((t * batch + b + 1) * W)]
        }
        for t in 1..<T { for b in 0..<B { XCTAssertEqual(row(m, t, b), row(m, 0, b), "row \(b) at step \(t)") } }
        XCTAssertNotEqual(row(m, 0, 0), row(m, 0, 1), "each row its own mask")
        XCTAssertNotEqual(m, d.forward(x, steps: T, batch: B, key: locked.at(site: 3)).mask, "each site its own mask")
        let unlocked = d.forward(x, steps: T, batch: B, key: DropoutKey(seed: 9, step: 4, site: 2)).mask
        XCTAssertEqual(row(unlocked, 0, 2), row(m, 0, 2))
        XCTAssertNotEqual(row(unlocked, 1, 2), row(m, 1, 2), "unlocked masks change with time")
        var part = locked
        part.firstPosition = 2
        let p = d.forward(Tensor(shape: [T, 1, W], repeating: 1), steps: T, batch: 1, key: part).mask
        for t in 0..<T { XCTAssertEqual(row(p, t, 0, batch: 1), row(m, 0, 2)) }
        let kept = m.data.filter { $0 > 0 }.count
        XCTAssertEqual(Double(kept) / Double(m.count), 0.6, accuracy: 0.1)
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
