extension ParameterStore {
    /// Every parameter as (name, tensor), in registration order.
    public func namedTensors() -> [(name: String, tensor: Tensor)] {
        parameters.map { ($0.name, tensor($0)) }
    }

    /// Writes all parameters to a safetensors file (temporary file + rename).
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(namedTensors(), metadata: metadata, to: path)
    }

    /// Loads every parameter from a safetensors file (`load(_:file:)`).
    public func load(from path: String, allowUnexpected: Bool = false) throws {
        try load(SafeTensors.read(path), file: path, allowUnexpected: allowUnexpected)
    }

    /// Copies named tensors into the parameters after checking names and shapes. Throws a
    /// `InputError` that names `file` and the first problem: a missing tensor, a shape that
    /// differs, or (unless it is in `extra` or `allowUnexpected`) a tensor the model does not have.
    /// Nothing is changed when it throws.
    public func load(_ tensors: [(name: String, tensor: Tensor)], file: String, extra: Set<String> = [],
                     allowUnexpected: Bool = false) throws {
        let byName = Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        let checked = try parameters.map { p in
            guard let t = byName[p.name] else {
                throw InputError("tensor \(p.name) \(p.shape) is missing; was it written for another model? (check config.json)", file: file)
            }
            guard t.shape == p.shape else {
                throw InputError("tensor \(p.name) has shape \(t.shape), the model expects \(p.shape) (check config.json)", file: file)
            }
            return (p, t)
        }
        if !allowUnexpected, let unexpected = tensors.first(where: { self[$0.name] == nil && !extra.contains($0.name) }) {
            throw InputError("tensor \(unexpected.name) is not part of the model", file: file)
        }
        for (p, t) in checked { set(p, to: t) }
    }
}
