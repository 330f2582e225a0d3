import Foundation

/// Training stopped because the loss (or the gradient) stopped being a finite number.
public struct TrainingDiverged: Error, CustomStringConvertible {
    public var step: Int
    public var epoch: Int
    public var learningRate: Float
    public var output: String
    /// The best validation loss so far, when a best model was written.
    public var bestLoss: Double?

    public var description: String {
        let kept = bestLoss.map { String(format: "; the best model so far (validation loss %.4f) is in %@", $0, output) }
            ?? "; no model was written"
        return "training diverged: the loss is NaN or infinite at step \(step) (epoch \(epoch)); use a lower --lr (it was \(learningRate)) or clip gradients with --clip 5\(kept)"
    }
}
