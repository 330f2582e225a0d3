import MessagePassing
import NeuralCore
import TextProcessing

/// Data-parallel training (docs/DESIGN.md, "Data-parallel training"): rank r of N trains on
/// columns [r·B/N, (r+1)·B/N) of the global batch B, the gradients are summed at the
/// gradient-complete point (`AllreduceGradients`), and everything that decides what happens next
/// (validation perplexity, the stop flag) is computed once and shared, so every rank follows the
/// same path as one process would.
extension LanguageModelTrainer {
    /// Columns [r·B/N, (r+1)·B/N) of a global batch of `batchSize` for rank `rank` of `size`.
    static func columns(rank: Int, of size: Int, batchSize: Int) -> Range<Int> {
        precondition(batchSize % size == 0, "batch \(batchSize) is not divisible by \(size) ranks (checked by `start`/`resume`)")
        return (rank * batchSize / size) ..< ((rank + 1) * batchSize / size)
    }

    /// The one-line error for a global batch the ranks cannot share, or nil.
    public static func sharingProblem(batchSize: Int, ranks: Int) -> String? {
        batchSize % ranks == 0 ? nil
            : "--batch-size \(batchSize) cannot be shared by \(ranks) processes: the global batch must be a multiple of the number of ranks (mpirun -np)"
    }

    /// The stream batchified into the global batch's B columns, keeping this rank's `columns`:
    /// column b of word_language_model's `batchify` is stream[b·L ..< (b+1)·L], so the share is the
    /// batchified slice stream[lo·L ..< hi·L].
    static func batches(_ stream: [Int32], columns: Range<Int>, options: LanguageModelTrainingOptions) -> LanguageModelBatches {
        let length = stream.count / options.batchSize
        return LanguageModelBatches(stream: Array(stream[(columns.lowerBound * length) ..< (columns.upperBound * length)]),
                                    batchSize: columns.count, bptt: options.bptt)
    }

    /// The batch-1 perplexity of `stream` (it carries one state through the whole stream, so it
    /// cannot be split): computed on rank 0 and broadcast.
    func sharedPerplexity(of stream: [Int32]) -> PerplexityResult {
        var result = PerplexityResult(negativeLogLikelihood: 0, tokens: 0)
        if communicator.isRoot { result = model.perplexity(of: stream, batchSize: 1, bptt: options.evalBptt, workspace: workspace) }
        guard communicator.size > 1 else { return result }
        var shared = [result.loss * Double(result.tokens), Double(result.tokens)]
        communicator.broadcast(&shared)
        return PerplexityResult(negativeLogLikelihood: shared[0], tokens: Int(shared[1]))
    }

    /// Whether any rank's `shouldStop` is true (one small allreduce per step), so all stop together.
    func agreedStop() -> Bool {
        let mine: Int64 = shouldStop() ? 1 : 0
        return (communicator.size > 1 ? communicator.allreduceSum(mine) : mine) > 0
    }
}
