/// Learning-rate decay on plateau: after each validation, if the loss did not improve on the best
/// seen by more than `threshold` (relative), count a bad epoch; after `patience` bad epochs in a row
/// multiply the rate by `factor` (as `torch.optim.lr_scheduler.ReduceLROnPlateau`, mode "min",
/// relative threshold, no cooldown). With patience 0 every non-improving epoch decays the rate, as
/// pytorch/examples' word_language_model does (lr /= 4).
public struct PlateauScheduler: Sendable {
    public private(set) var learningRate: Float
    public let factor: Float
    public let patience: Int
    public let threshold: Float
    public let minimumRate: Float
    public private(set) var best = Float.infinity
    public private(set) var badEpochs = 0

    /// Starts at `learningRate`; multiplies it by `factor` (never below `minimumRate`) after more than `patience` bad evaluations.
    public init(learningRate: Float, factor: Float = 0.25, patience: Int = 0, threshold: Float = 0,
                minimumRate: Float = 0) {
        self.learningRate = learningRate
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.minimumRate = minimumRate
    }

    /// Records a validation loss; returns the (possibly decayed) learning rate to use next.
    @discardableResult
    public mutating func record(validationLoss loss: Float) -> Float {
        if loss < best * (1 - threshold) {
            best = loss
            badEpochs = 0
        } else {
            badEpochs += 1
            if badEpochs > patience {
                learningRate = max(learningRate * factor, minimumRate)
                badEpochs = 0
            }
        }
        return learningRate
    }
}
