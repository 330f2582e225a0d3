import MessagePassing

extension RecurrentState {
    /// The batch rows `rows` of every slot: h [S, B, H] → [S, rows.count, H] (and c alike). A
    /// data-parallel rank's share of a language model's carried state.
    public func columns(_ rows: Range<Int>) -> RecurrentState {
        RecurrentState(h: Self.rows(rows, of: h), c: c.map { Self.rows(rows, of: $0) })
    }

    /// The whole batch's state from every rank's share (in rank order), on every rank: the inverse
    /// of `columns` over consecutive row ranges. Every rank must call it.
    public func gathered(across communicator: any Communicator) -> RecurrentState {
        guard communicator.size > 1 else { return self }
        return RecurrentState(h: Self.join(communicator.allgather(h.data), like: h),
                              c: c.map { Self.join(communicator.allgather($0.data), like: $0) })
    }

    private static func rows(_ rows: Range<Int>, of t: Tensor) -> Tensor {
        let (S, B, H) = (t.shape[0], t.shape[1], t.shape[2])
        precondition(rows.lowerBound >= 0 && rows.upperBound <= B)
        var data: [Float] = []
        data.reserveCapacity(S * rows.count * H)
        for s in 0..<S { data += t.data[(s * B + rows.lowerBound) * H ..< (s * B + rows.upperBound) * H] }
        return Tensor(shape: [S, rows.count, H], data: data)
    }

    /// Shares [S, B_r, H] of every rank, flattened, → [S, Σ B_r, H].
    private static func join(_ parts: [[Float]], like t: Tensor) -> Tensor {
        let (S, H) = (t.shape[0], t.shape[2])
        let batch = parts.map { $0.count / (S * H) }
        var data: [Float] = []
        data.reserveCapacity(S * batch.reduce(0, +) * H)
        for s in 0..<S {
            for (part, b) in zip(parts, batch) { data += part[(s * b * H) ..< ((s + 1) * b * H)] }
        }
        return Tensor(shape: [S, batch.reduce(0, +), H], data: data)
    }
}
