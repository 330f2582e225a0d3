/// One chunk of a language-model stream: T′ time steps of B columns, time-major.
///
/// `target[t·B + b]` is the token that follows `input[t·B + b]` in column b, so the targets are the
/// inputs shifted by one step.
public struct LanguageModelChunk: Sendable, Equatable {
    /// Steps in this chunk T′ (the last chunk of a stream may be shorter than T).
    public var length: Int
    /// Columns B.
    public var batchSize: Int
    /// Input ids (T′, B).
    public var input: [Int32]
    /// Target ids (T′, B): the next token of each input.
    public var target: [Int32]

    public init(length: Int, batchSize: Int, input: [Int32], target: [Int32]) {
        precondition(input.count == length * batchSize && target.count == input.count)
        self.length = length
        self.batchSize = batchSize
        self.input = input
        self.target = target
    }

    /// Number of predicted tokens T′ · B.
    public var tokenCount: Int { length * batchSize }
}

/// A token stream cut into B columns and read in chunks of T steps, as pytorch/examples
/// `word_language_model` does (`batchify` and `get_batch`).
///
/// The stream a b c … x (24 tokens) with B = 4 becomes four columns of L = 6, laid out time-major
/// (L, B); the last `count mod B` tokens, which would not fill a row, are dropped:
///
/// ```
/// ┌ a g m s ┐    chunk 0 (T = 2): input  a g m s   target b h n t
/// │ b h n t │                             b h n t          c i o u
/// │ c i o u │    chunk 1:          input  c i o u   target d j p v
/// │ d j p v │                             d j p v          e k q w
/// │ e k q w │    chunk 2 (T′ = 1): input  e k q w   target f l r x
/// └ f l r x ┘
/// ```
///
/// Columns are independent streams, so an RNN carries its hidden state from one chunk to the next
/// in each column. There are ⌈(L − 1) / T⌉ chunks; each predicts T′ · B tokens, (L − 1) · B in all.
public struct LanguageModelBatches: Sendable, Equatable {
    /// Columns B.
    public let batchSize: Int
    /// Steps per chunk T.
    public let bptt: Int
    /// Length L of each column (stream count / B, rounded down).
    public let columnLength: Int
    /// The stream laid out time-major (L, B): `data[t·B + b] = stream[b·L + t]`.
    public let data: [Int32]

    /// Cuts `stream` into `batchSize` columns, read `bptt` steps at a time.
    ///
    /// A stream too short for even one step per column (L < 2) gives zero chunks; the caller decides
    /// whether that is an error (it names the file and says how long the data must be).
    public init(stream: [Int32], batchSize: Int, bptt: Int) {
        precondition(batchSize > 0 && bptt > 0, "batch size and bptt must be positive")
        self.batchSize = batchSize
        self.bptt = bptt
        let length = stream.count / batchSize
        columnLength = length
        var data = [Int32](repeating: 0, count: length * batchSize)
        stream.withUnsafeBufferPointer { source in
            data.withUnsafeMutableBufferPointer { out in
                for b in 0..<batchSize {
                    let start = b * length
                    for t in 0..<length { out[t * batchSize + b] = source[start + t] }
                }
            }
        }
        self.data = data
    }

    /// Number of chunks ⌈(L − 1) / T⌉.
    public var count: Int { columnLength < 2 ? 0 : (columnLength - 1 + bptt - 1) / bptt }

    /// Number of tokens predicted over all chunks, (L − 1) · B.
    public var tokenCount: Int { Swift.max(columnLength - 1, 0) * batchSize }

    /// The chunk starting at step `index · T` (`get_batch(source, index · T)`).
    public func chunk(_ index: Int) -> LanguageModelChunk {
        precondition(index >= 0 && index < count, "chunk \(index) out of 0..<\(count)")
        let start = index * bptt
        let length = Swift.min(bptt, columnLength - 1 - start)
        let lo = start * batchSize, n = length * batchSize
        return LanguageModelChunk(length: length, batchSize: batchSize,
                                  input: Array(data[lo..<(lo + n)]),
                                  target: Array(data[(lo + batchSize)..<(lo + batchSize + n)]))
    }
}

extension LanguageModelBatches: Sequence {
    public func makeIterator() -> AnyIterator<LanguageModelChunk> {
        var index = 0
        return AnyIterator {
            guard index < count else { return nil }
            defer { index += 1 }
            return chunk(index)
        }
    }
}
