import Dispatch

/// Whether NeuralCore's own loops may use both cores (OpenBLAS has its own setting, `BlasThreads`).
nonisolated(unsafe) public var neuralCoreUsesBothCores = true

/// Runs `body` over [0, count) in one piece, or in two halves when `count` reaches `minimum` elements
/// (long flat loops: optimizer steps, gradient norms, large softmaxes): on both cores, or one after
/// the other when `neuralCoreUsesBothCores` is off, so that sums come out the same either way (a
/// run's numbers do not depend on `--threads`).
@inline(__always)
func forEachHalf(_ count: Int, minimum: Int = 1 << 20, _ body: (_ lower: Int, _ upper: Int, _ part: Int) -> Void) {
    if count < minimum {
        body(0, count, 0)
        return
    }
    let middle = count / 2
    if !neuralCoreUsesBothCores {
        body(0, middle, 0)
        body(middle, count, 1)
        return
    }
    DispatchQueue.concurrentPerform(iterations: 2) { part in
        body(part == 0 ? 0 : middle, part == 0 ? middle : count, part)
    }
}

/// `--threads N`, the same for every command: OpenBLAS's threads, whether NeuralCore's own loops
/// use both cores, and how many chunks the tokenizer pipelines run at once (`ThreadLimit`). Results
/// do not depend on it (see `forEachHalf`).
public enum ComputeThreads {
    public static func use(_ count: Int) {
        precondition(count >= 1)
        ThreadLimit.count = count
        BlasThreads.count = count
        neuralCoreUsesBothCores = count > 1
    }
}
