/// What the decoder reads from the encoder for a batch of B sources padded to S positions.
/// Shapes: B batch, S source length, H hidden, L layers.
public struct EncodedSource: Sendable {
    public var batch: Int
    public var sourceLength: Int
    /// Encoder states h_j, batch-major (B, S, H); 0 on padding.
    public var states: [Float]
    /// 1 on real source positions (including `<eos>`), 0 on padding (B, S).
    public var mask: [Float]
    /// Real source lengths including `<eos>` (B).
    public var lengths: [Int]
    /// The decoder's initial state z_0 per layer: the encoder's final state, forward ‖ backward
    /// halves (L × (B, H)); `cells` likewise for LSTM.
    public var hidden: [[Float]]
    public var cells: [[Float]]?

    /// The rows `rows` (in that order, repeats allowed) as a new batch — for dropping finished
    /// sentences in greedy search and for expanding beams.
    public func gathering(_ rows: [Int]) -> EncodedSource {
        let S = sourceLength, H = states.count / Swift.max(batch * sourceLength, 1)
        var out = EncodedSource(batch: rows.count, sourceLength: S, states: [], mask: [], lengths: [], hidden: [], cells: nil)
        out.states.reserveCapacity(rows.count * S * H)
        for r in rows {
            out.states.append(contentsOf: states[(r * S * H)..<((r + 1) * S * H)])
            out.mask.append(contentsOf: mask[(r * S)..<((r + 1) * S)])
            out.lengths.append(lengths[r])
        }
        let Hd = hidden.first.map { $0.count / Swift.max(batch, 1) } ?? 0
        out.hidden = hidden.map { layer in rows.flatMap { layer[($0 * Hd)..<(($0 + 1) * Hd)] } }
        out.cells = cells.map { $0.map { layer in rows.flatMap { layer[($0 * Hd)..<(($0 + 1) * Hd)] } } }
        return out
    }
}
