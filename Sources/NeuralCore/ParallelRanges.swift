import Dispatch

/// Whether NeuralCore's own loops may use both cores (OpenBLAS has its own setting, `BlasThreads`).
nonisolated(unsafe) public var neuralCoreUsesBothCores = true

/// Runs `body` over [0, count) in one piece, or in two halves on both cores when `count` reaches
/// `minimum` elements (long flat loops: optimizer steps, gradient norms, large softmaxes).
@inline(__always)
func forEachHalf(_ count: Int, minimum: Int = 1 << 20, _ body: (_ lower: Int, _ upper: Int, _ part: Int) -> Void) {
    if count < minimum || !neuralCoreUsesBothCores {
        body(0, count, 0)
        return
    }
    let middle = count / 2
    DispatchQueue.concurrentPerform(iterations: 2) { part in
        body(part == 0 ? 0 : middle, part == 0 ? middle : count, part)
    }
}
