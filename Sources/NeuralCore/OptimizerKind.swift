/// The optimizers training can use.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// Plain SGD, w −= lr · g.
    case sgd
    /// Adam with PyTorch's defaults (β 0.9, 0.999, ε 1e-8).
    case adam

    /// An optimizer of this kind over every parameter of `store`.
    public func make(store: ParameterStore, learningRate: Float) -> any Optimizer {
        switch self {
        case .sgd: return SGD(store: store, learningRate: learningRate)
        case .adam: return Adam(store: store, learningRate: learningRate)
        }
    }
}

/// The optimizer of a training run (`SGD`, `Adam`), with the state a checkpoint keeps.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// One update from the current gradients (it does not zero them).
    func step()
    /// What a checkpoint keeps: tensors by name and a step count (nothing for SGD).
    var checkpointState: (tensors: [(name: String, tensor: Tensor)], steps: Int) { get }
    /// Restores `checkpointState`; throws `InputError` naming `file` when the tensors do not fit.
    func restore(_ tensors: [String: Tensor], steps: Int, file: String) throws
}

extension SGD: Optimizer {
    public var checkpointState: (tensors: [(name: String, tensor: Tensor)], steps: Int) { ([], 0) }
    public func restore(_ tensors: [String: Tensor], steps: Int, file: String) throws {}
}

extension Adam: Optimizer {
    /// Adam's first and second moments `adam.m`, `adam.v` [P] and its step count.
    public var checkpointState: (tensors: [(name: String, tensor: Tensor)], steps: Int) {
        ([("adam.m", Tensor(shape: [m.count], data: m)), ("adam.v", Tensor(shape: [v.count], data: v))], t)
    }

    public func restore(_ tensors: [String: Tensor], steps: Int, file: String) throws {
        guard let m = tensors["adam.m"], let v = tensors["adam.v"], m.count == self.m.count, v.count == self.v.count else {
            throw InputError("the checkpoint lacks Adam's moments adam.m and adam.v for \(self.m.count) parameters", file: file)
        }
        restore(m: m.data, v: v.data, steps: steps)
    }
}
