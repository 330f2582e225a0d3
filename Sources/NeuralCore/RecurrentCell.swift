/// The recurrent cell kinds, named as in `config.json` ("cell").
public enum RecurrentCell: String, Sendable, CaseIterable, Codable {
    /// LSTM, gates i, f, g, o (PyTorch's order): c = f⊙c + i⊙g, h = o⊙tanh(c).
    case lstm
    /// GRU, gates r, z, n: n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h = (1 − z)⊙n + z⊙h.
    case gru
    /// Elman h = tanh(W_ih x + b_ih + W_hh h + b_hh).
    case rnnTanh = "rnn_tanh"
    /// Elman with ReLU.
    case rnnRelu = "rnn_relu"
    /// Elman with the logistic sigmoid (the course notes' convention).
    case rnnSigmoid = "rnn_sigmoid"

    /// Number of gate blocks G in the weight matrices: 4, 3 or 1.
    public var gates: Int {
        switch self {
        case .lstm: return 4
        case .gru: return 3
        default: return 1
        }
    }

    /// Whether the state has a cell part c besides h.
    public var hasCellState: Bool { self == .lstm }

    /// The Elman nonlinearity, nil for gated cells.
    public var elmanActivation: Activation? {
        switch self {
        case .rnnTanh: return .tanh
        case .rnnRelu: return .relu
        case .rnnSigmoid: return .sigmoid
        default: return nil
        }
    }
}
