/// One padded, masked batch of sentence pairs for an encoder–decoder, batch-major.
///
/// For a pair (x₁…xₙ, y₁…yₘ): the source row is x₁…xₙ `<eos>` then `<pad>`; the decoder input row
/// is `<bos>` y₁…yₘ then `<pad>`; the target row is y₁…yₘ `<eos>` then `<pad>` (the decoder input
/// shifted by one). Masks are 1 on real positions and 0 on padding.
public struct SentenceBatch: Sendable, Equatable {
    /// Number of pairs B.
    public var count: Int
    /// Padded source length S (the longest source + 1 for `<eos>`).
    public var sourceLength: Int
    /// Padded target length T (the longest target + 1).
    public var targetLength: Int
    /// Source ids (B, S), each row ending with `<eos>` before its padding.
    public var source: [Int32]
    /// 1 on real source positions, 0 on padding (B, S).
    public var sourceMask: [Float]
    /// Real source lengths including `<eos>` (B).
    public var sourceLengths: [Int]
    /// Decoder input ids (B, T): `<bos>` y₁…yₘ, padded.
    public var decoderInput: [Int32]
    /// Target ids (B, T): y₁…yₘ `<eos>`, padded.
    public var target: [Int32]
    /// 1 on real target positions, 0 on padding (B, T).
    public var targetMask: [Float]
    /// Real target lengths including `<eos>` (B).
    public var targetLengths: [Int]
    /// Position of each pair in the corpus the batches were cut from (B).
    public var indices: [Int]

    /// Builds the padded batch of `pairs` (ids without special tokens).
    public init(pairs: [(source: [Int32], target: [Int32])], indices: [Int]? = nil,
                pad: Int32, bos: Int32, eos: Int32) {
        count = pairs.count
        sourceLength = (pairs.map(\.source.count).max() ?? 0) + 1
        targetLength = (pairs.map(\.target.count).max() ?? 0) + 1
        source = [Int32](repeating: pad, count: count * sourceLength)
        sourceMask = [Float](repeating: 0, count: count * sourceLength)
        decoderInput = [Int32](repeating: pad, count: count * targetLength)
        target = [Int32](repeating: pad, count: count * targetLength)
        targetMask = [Float](repeating: 0, count: count * targetLength)
        sourceLengths = []
        targetLengths = []
        self.indices = indices ?? Array(0..<pairs.count)
        for (b, pair) in pairs.enumerated() {
            let s = b * sourceLength
            for (j, id) in pair.source.enumerated() { source[s + j] = id; sourceMask[s + j] = 1 }
            source[s + pair.source.count] = eos
            sourceMask[s + pair.source.count] = 1
            sourceLengths.append(pair.source.count + 1)
            let t = b * targetLength
            decoderInput[t] = bos
            for (j, id) in pair.target.enumerated() {
                decoderInput[t + j + 1] = id
                target[t + j] = id
                targetMask[t + j] = 1
            }
            target[t + pair.target.count] = eos
            targetMask[t + pair.target.count] = 1
            targetLengths.append(pair.target.count + 1)
        }
    }

    /// Number of real target tokens (the loss is averaged over these).
    public var targetTokenCount: Int { targetLengths.reduce(0, +) }

    /// `ids` (B, L) transposed to time-major (L, B).
    public static func timeMajor<T>(_ values: [T], batch: Int, length: Int) -> [T] {
        precondition(values.count == batch * length)
        guard let first = values.first else { return [] }
        var out = [T](repeating: first, count: values.count)
        for b in 0..<batch { for t in 0..<length { out[t * batch + b] = values[b * length + t] } }
        return out
    }
}

/// Cuts sentence pairs into padded, masked batches of similar lengths.
///
/// Pairs are shuffled with a seed, gathered in pools of `poolBatches` batches, sorted by length
/// inside each pool (so a batch carries little padding), cut into batches of `batchSize` pairs — or,
/// with `tokenBudget`, of as many pairs as keep B · Swift.max(S, T) within the budget — and the batches are
/// shuffled again. Without a seed the order is the corpus order sorted by length (for decoding).
public struct SentenceBatches: Sequence, Sendable {
    public let pairs: [(source: [Int32], target: [Int32])]
    public let batchSize: Int
    public let tokenBudget: Int?
    public let pad: Int32, bos: Int32, eos: Int32
    /// Groups of corpus indices, one per batch, in the order the batches come.
    public let groups: [[Int]]

    /// - Parameters:
    ///   - batchSize: pairs per batch (the most, when `tokenBudget` is set).
    ///   - tokenBudget: the most padded tokens B · Swift.max(S, T) per batch (at least one pair per batch).
    ///   - seed: shuffles pairs and batches; `nil` keeps a deterministic length-sorted order.
    public init(pairs: [(source: [Int32], target: [Int32])], batchSize: Int, tokenBudget: Int? = nil,
                pad: Int32, bos: Int32, eos: Int32, seed: UInt64? = nil, poolBatches: Int = 64) {
        precondition(batchSize > 0, "batch size must be positive")
        self.pairs = pairs
        self.batchSize = batchSize
        self.tokenBudget = tokenBudget
        self.pad = pad
        self.bos = bos
        self.eos = eos
        var order = Array(pairs.indices)
        var generator = seed.map { SplitMix64(seed: $0) }
        if var g = generator { order.shuffle(using: &g); generator = g }
        let poolSize = seed == nil ? Swift.max(order.count, 1) : batchSize * Swift.max(poolBatches, 1)
        var groups: [[Int]] = []
        var start = 0
        while start < order.count {
            let pool = order[start..<Swift.min(start + poolSize, order.count)].sorted {
                let a = pairs[$0], b = pairs[$1]
                if a.source.count != b.source.count { return a.source.count < b.source.count }
                if a.target.count != b.target.count { return a.target.count < b.target.count }
                return $0 < $1
            }
            var current: [Int] = []
            var longest = 0
            for index in pool {
                let length = Swift.max(pairs[index].source.count, pairs[index].target.count) + 1
                let newLongest = Swift.max(longest, length)
                let overBudget = tokenBudget.map { (current.count + 1) * newLongest > $0 } ?? false
                if !current.isEmpty && (current.count == batchSize || overBudget) {
                    groups.append(current)
                    current = []
                    longest = length
                } else {
                    longest = newLongest
                }
                current.append(index)
            }
            if !current.isEmpty { groups.append(current) }
            start += poolSize
        }
        if var g = generator { groups.shuffle(using: &g) }
        self.groups = groups
    }

    /// Number of batches.
    public var count: Int { groups.count }

    /// The batch of the pairs at `indices`.
    public func batch(_ indices: [Int]) -> SentenceBatch {
        SentenceBatch(pairs: indices.map { pairs[$0] }, indices: indices, pad: pad, bos: bos, eos: eos)
    }

    public func makeIterator() -> AnyIterator<SentenceBatch> {
        var position = 0
        return AnyIterator {
            guard position < groups.count else { return nil }
            defer { position += 1 }
            return batch(groups[position])
        }
    }
}
