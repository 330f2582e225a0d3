/// The optimizers training can use.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// Plain SGD, w −= lr · g.
    case sgd
    /// Adam with PyTorch's defaults (β 0.9, 0.999, ε 1e-8).
    case adam
}

/// The optimizer of a training run, with the state a checkpoint keeps (Adam's moments and step).
public final class Optimizer {
    public let kind: OptimizerKind
    let sgd: SGD?
    let adam: Adam?

    public init(_ kind: OptimizerKind, store: ParameterStore, learningRate: Float) {
        self.kind = kind
        sgd = kind == .sgd ? SGD(store: store, learningRate: learningRate) : nil
        adam = kind == .adam ? Adam(store: store, learningRate: learningRate) : nil
    }

    public var learningRate: Float {
        get { sgd?.learningRate ?? adam!.learningRate }
        set { sgd?.learningRate = newValue; adam?.learningRate = newValue }
    }

    /// One update from the current gradients.
    public func step() {
        if let sgd { sgd.step() } else { adam!.step() }
    }

    /// What a checkpoint keeps: Adam's first and second moments [P] and its step count (nothing for SGD).
    public var state: (tensors: [(name: String, tensor: Tensor)], steps: Int) {
        guard let adam else { return ([], 0) }
        return ([("adam.m", Tensor(shape: [adam.m.count], data: adam.m)), ("adam.v", Tensor(shape: [adam.v.count], data: adam.v))], adam.t)
    }

    /// Restores `state` from a checkpoint's tensors; throws `InputError` naming `file` when they do not fit.
    public func restore(_ tensors: [String: Tensor], steps: Int, file: String) throws {
        guard let adam else { return }
        guard let m = tensors["adam.m"], let v = tensors["adam.v"], m.count == adam.m.count, v.count == adam.v.count else {
            throw InputError("the checkpoint lacks Adam's moments adam.m and adam.v for \(adam.m.count) parameters", file: file)
        }
        adam.restore(m: m.data, v: v.data, steps: steps)
    }
}
