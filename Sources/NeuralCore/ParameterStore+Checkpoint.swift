extension ParameterStore {
    /// Every parameter as (name, tensor), in registration order.
    public func namedTensors() -> [(name: String, tensor: Tensor)] {
        parameters.map { ($0.name, tensor($0)) }
    }

    /// Writes all parameters to a safetensors file (temporary file + rename).
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(namedTensors(), metadata: metadata, to: path)
    }

    /// Loads every parameter from a safetensors file, checking names, shapes and dtypes. Throws a
    /// `CheckpointError` that names the file and the first problem: a missing tensor, a shape that
    /// differs, or (when `allowUnexpected` is false) a tensor the model does not have.
    /// Nothing is changed when it throws.
    public func load(from path: String, allowUnexpected: Bool = false) throws {
        let tensors = try SafeTensors.read(path)
        var byName: [String: Tensor] = [:]
        for (name, t) in tensors { byName[name] = t }
        for p in parameters {
            guard let t = byName[p.name] else {
                throw CheckpointError("tensor \(p.name) \(p.shape) is missing; was the checkpoint written for another model?", file: path)
            }
            guard t.shape == p.shape else {
                throw CheckpointError("tensor \(p.name) has shape \(t.shape), the model expects \(p.shape) (check config.json)", file: path)
            }
        }
        if !allowUnexpected, let extra = tensors.first(where: { self[$0.name] == nil }) {
            throw CheckpointError("tensor \(extra.name) is not part of the model", file: path)
        }
        for p in parameters { set(p, to: byName[p.name]!) }
    }
}
