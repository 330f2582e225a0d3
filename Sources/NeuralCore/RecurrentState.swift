/// The state of a recurrent stack: h [L·D, B, H] and, for LSTM, c [L·D, B, H], ordered as
/// PyTorch orders h_n (layer 0 forward, layer 0 backward, layer 1 forward, …).
public struct RecurrentState: Equatable, Sendable {
    public var h: Tensor
    public var c: Tensor?

    public init(h: Tensor, c: Tensor? = nil) {
        self.h = h
        self.c = c
    }

    /// Zeros for `layers`·`directions` slots of [B, H].
    public init(zerosFor cell: RecurrentCell, slots: Int, batch: Int, hidden: Int) {
        h = Tensor(zeros: [slots, batch, hidden])
        c = cell.hasCellState ? Tensor(zeros: [slots, batch, hidden]) : nil
    }
}
