import Dispatch
import MessagePassing

/// Data-parallel gradients (PyTorch DDP's allreduce, without buckets): every rank holds the same
/// weights and computes the gradient of its share of the global batch; at the gradient-complete
/// point this sums them over ranks in place, so that every rank then holds the gradient one
/// process computes for the whole batch and takes the same optimizer step.
///
/// Scaling: each rank's gradient is a mean over its share — per token (translator) or per column
/// (language model, whose columns all have T tokens) — so share r weighs tokens_r / Σ tokens:
/// g = Σ_r (tokens_r / Σ tokens) · g_r. A rank with an empty share (tokens 0, zero gradients) still
/// takes part. The step's loss becomes the sum over ranks.
public final class AllreduceGradients: GradientReducer {
    public let communicator: any Communicator
    /// Seconds spent in the two allreduce calls so far (for reports of communication against compute).
    public private(set) var seconds = 0.0
    /// Steps reduced so far.
    public private(set) var steps = 0

    public init(communicator: any Communicator) {
        self.communicator = communicator
    }

    public func reduce(gradients: UnsafeMutableBufferPointer<Float>, loss: inout StepLoss) {
        let start = DispatchTime.now().uptimeNanoseconds
        var totals = [loss.sum, Double(loss.tokens)]
        communicator.allreduceSum(&totals)
        let weight = totals[1] > 0 ? Float(Double(loss.tokens) / totals[1]) : 0
        if weight != 1 { for i in gradients.indices { gradients[i] *= weight } }
        communicator.allreduceSum(gradients)
        loss = StepLoss(sum: totals[0], tokens: Int(totals[1]))
        seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        steps += 1
    }
}
