/// Early stopping (the course notes' rule): keep the weights with the lowest validation loss; stop
/// when the validation loss has risen — been worse than the previous evaluation — more than
/// `patience` times since the best. `restoreBest` puts the best weights back into the store.
public final class EarlyStopping {
    public let patience: Int
    public let store: ParameterStore
    public private(set) var bestLoss = Float.infinity
    /// Evaluation index (from 0) of the best loss.
    public private(set) var bestEvaluation = -1
    /// Rises counted since the best.
    public private(set) var rises = 0
    public private(set) var evaluations = 0
    private var previous = Float.infinity
    private var bestWeights: [Float] = []

    /// Stops after more than `patience` rises; keeps the best weights of `store`.
    public init(patience: Int, store: ParameterStore) {
        precondition(patience >= 0)
        self.patience = patience
        self.store = store
    }

    /// Records the loss of the current weights; returns true when training should stop.
    public func record(validationLoss loss: Float) -> Bool {
        defer { previous = loss; evaluations += 1 }
        if loss < bestLoss {
            bestLoss = loss
            bestEvaluation = evaluations
            bestWeights = store.snapshot()
            rises = 0
            return false
        }
        if loss > previous { rises += 1 }
        return rises > patience
    }

    /// Copies the best weights seen back into the store (no-op before the first record).
    public func restoreBest() {
        if !bestWeights.isEmpty { store.restore(bestWeights) }
    }
}
