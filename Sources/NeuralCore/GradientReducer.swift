/// The loss of one optimizer step: summed over its tokens, and how many tokens.
public struct StepLoss: Sendable, Equatable {
    /// Σ −log p over the step's predicted tokens (the objective may scale it differently; this is
    /// what progress lines and metrics report, divided by `tokens`).
    public var sum: Double
    public var tokens: Int
    public init(sum: Double, tokens: Int) {
        self.sum = sum
        self.tokens = tokens
    }
}

/// The one point in training where a whole batch's gradients are complete and nothing has touched
/// them yet: `TrainingLoop` calls `reduce` after the model's forward and backward pass and before
/// the L2 penalty, clipping and the optimizer step. A data-parallel run (issue 13) sums the flat
/// gradient buffer and the loss across processes here; one process needs nothing (`LocalGradients`).
public protocol GradientReducer: AnyObject {
    /// `gradients`: the store's flat gradient buffer (every parameter, store order), dL/dθ of this
    /// process's share of the batch. `loss`: this process's loss; replace both with the whole batch's.
    func reduce(gradients: UnsafeMutableBufferPointer<Float>, loss: inout StepLoss)
}

/// One process: the batch's gradients are already complete.
public final class LocalGradients: GradientReducer {
    public init() {}
    public func reduce(gradients: UnsafeMutableBufferPointer<Float>, loss: inout StepLoss) {}
}
