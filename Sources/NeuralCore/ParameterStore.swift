/// One named parameter: where its values and gradients live in the store's flat buffers.
public struct Parameter: Hashable, Sendable {
    /// The name PyTorch's `state_dict` would give it, e.g. `rnn.weight_ih_l0`.
    public let name: String
    /// Its shape, e.g. [4H, E] for an LSTM's `weight_ih_l0`.
    public let shape: [Int]
    /// Offset of its first element in the store's flat value and gradient buffers.
    public let offset: Int
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}

/// All parameters of a model in two flat Float32 buffers — values and gradients — so that zeroing,
/// clipping and optimizer steps are one loop each (llm.c style). Layers register their parameters
/// here when they are built and look up the buffers on every call, so the store may grow while a
/// model is being assembled. Names must be unique.
public final class ParameterStore {
    /// Parameters in registration order (the order of the safetensors file as well).
    public private(set) var parameters: [Parameter] = []
    /// Total number of Float32 elements.
    public private(set) var count = 0
    private var byName: [String: Int] = [:]
    private var capacity = 0
    /// Flat values (count elements).
    public private(set) var values: UnsafeMutablePointer<Float>
    /// Flat gradients (count elements), added into by every backward pass.
    public private(set) var gradients: UnsafeMutablePointer<Float>

    /// An empty store.
    public init() {
        values = .allocate(capacity: 1)
        gradients = .allocate(capacity: 1)
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// Registers a parameter of `shape` under `name`, initialized to zero; returns its handle.
    @discardableResult
    public func add(_ name: String, shape: [Int]) -> Parameter {
        precondition(byName[name] == nil, "parameter \(name) registered twice")
        let p = Parameter(name: name, shape: shape, offset: count)
        let needed = count + p.count
        if needed > capacity {
            let newCapacity = max(needed, capacity * 2, 1024)
            let v = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
            let g = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
            v.update(from: values, count: count)
            g.update(from: gradients, count: count)
            values.deallocate()
            gradients.deallocate()
            values = v
            gradients = g
            capacity = newCapacity
        }
        (values + count).initialize(repeating: 0, count: p.count)
        (gradients + count).initialize(repeating: 0, count: p.count)
        byName[name] = parameters.count
        parameters.append(p)
        count = needed
        return p
    }

    /// Registers a parameter initialized uniformly in [-bound, bound).
    @discardableResult
    public func add(_ name: String, shape: [Int], uniformBound bound: Float, rng: inout SplitMix64) -> Parameter {
        let p = add(name, shape: shape)
        let v = value(p)
        for i in 0..<p.count { v[i] = rng.nextUniform(bound: bound) }
        return p
    }

    /// The parameter called `name`, if any.
    public subscript(name: String) -> Parameter? {
        byName[name].map { parameters[$0] }
    }

    /// Pointer to a parameter's values (valid until the next `add`).
    @inline(__always) public func value(_ p: Parameter) -> UnsafeMutablePointer<Float> { values + p.offset }
    /// Pointer to a parameter's gradient (valid until the next `add`).
    @inline(__always) public func gradient(_ p: Parameter) -> UnsafeMutablePointer<Float> { gradients + p.offset }

    /// All values as one buffer.
    public var allValues: UnsafeMutableBufferPointer<Float> { .init(start: values, count: count) }
    /// All gradients as one buffer.
    public var allGradients: UnsafeMutableBufferPointer<Float> { .init(start: gradients, count: count) }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        gradients.update(repeating: 0, count: count)
    }

    /// A copy of a parameter's values as a tensor.
    public func tensor(_ p: Parameter) -> Tensor {
        Tensor(shape: p.shape, data: Array(UnsafeBufferPointer(start: value(p), count: p.count)))
    }

    /// A copy of a parameter's gradient as a tensor.
    public func gradientTensor(_ p: Parameter) -> Tensor {
        Tensor(shape: p.shape, data: Array(UnsafeBufferPointer(start: gradient(p), count: p.count)))
    }

    /// Overwrites a parameter's values; the shapes must agree.
    public func set(_ p: Parameter, to t: Tensor) {
        precondition(t.shape == p.shape, "\(p.name): shape \(t.shape) given, \(p.shape) expected")
        t.data.withUnsafeBufferPointer { value(p).update(from: $0.baseAddress!, count: p.count) }
    }

    /// A copy of every value.
    public func snapshot() -> [Float] { Array(allValues) }
}
