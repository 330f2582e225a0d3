/// What every training run decides, whatever the model: the loop's part of `lm train`'s and
/// `translate train`'s options. Each trainer's options hold one with that trainer's defaults.
public struct TrainingSettings: Codable, Equatable, Sendable {
    public var epochs: Int
    /// Stop after this many optimizer steps in all (nil: no limit).
    public var maxSteps: Int?
    /// Early stopping: stop after this many evaluations in a row without a new best (nil: never).
    public var patience: Int?
    /// Rows of a batch: the language model's stream columns, the translator's sentence pairs.
    public var batchSize: Int
    public var optimizer: OptimizerKind
    public var learningRate: Float
    /// Largest global gradient norm (0: no clipping).
    public var clip: Float
    /// λ of the weight decay λ·‖W‖² added to the objective (biases excluded).
    public var l2: Float
    /// Dropout probability p ∈ [0, 1) (where depends on the model).
    public var dropout: Float
    /// Seed of initialization, shuffling and dropout.
    public var seed: UInt64

    public init(epochs: Int, maxSteps: Int? = nil, patience: Int? = nil, batchSize: Int, optimizer: OptimizerKind,
                learningRate: Float, clip: Float, l2: Float = 0, dropout: Float, seed: UInt64 = 1) {
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.patience = patience
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.clip = clip
        self.l2 = l2
        self.dropout = dropout
        self.seed = seed
    }

    /// The first setting that makes no sense, as a message naming its flag, or nil.
    public var problem: String? {
        if epochs < 1 { return "--epochs must be at least 1" }
        if let maxSteps, maxSteps < 1 { return "--max-steps must be at least 1" }
        if let patience, patience < 0 { return "--patience must not be negative" }
        if batchSize < 1 { return "--batch-size must be at least 1" }
        if !(learningRate > 0) || !learningRate.isFinite { return "--lr must be a positive number" }
        if !(clip >= 0) || !clip.isFinite { return "--clip must be 0 (off) or positive" }
        if !(l2 >= 0) || !l2.isFinite { return "--l2 must not be negative" }
        if !(dropout >= 0 && dropout < 1) { return "--dropout must be in [0, 1)" }
        return nil
    }

    /// The settings as flag → value, for the resume contract (`ResumeContract`).
    public var flags: [String: String] {
        ["--epochs": String(epochs), "--max-steps": maxSteps.map(String.init) ?? "none", "--patience": patience.map(String.init) ?? "none",
         "--batch-size": String(batchSize), "--optimizer": optimizer.rawValue, "--lr": "\(learningRate)", "--clip": "\(clip)",
         "--l2": "\(l2)", "--dropout": "\(dropout)", "--seed": String(seed)]
    }
}
