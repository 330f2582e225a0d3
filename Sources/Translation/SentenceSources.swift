import TextProcessing

/// The source side of a batch: ids (B, S) batch-major ending with `<eos>`, padded; mask (B, S);
/// lengths (B) including `<eos>`.
public struct SentenceSources: Sendable {
    public var count: Int
    public var sourceLength: Int
    public var ids: [Int32]
    public var mask: [Float]
    public var lengths: [Int]

    /// Pads `sentences` (ids without `<eos>`) into one batch.
    public init(_ sentences: [[Int32]], pad: Int32, eos: Int32) {
        let batch = SentenceBatch(pairs: sentences.map { (source: $0, target: []) }, pad: pad, bos: pad, eos: eos)
        self.init(batch)
    }

    public init(_ batch: SentenceBatch) {
        count = batch.count
        sourceLength = batch.sourceLength
        ids = batch.source
        mask = batch.sourceMask
        lengths = batch.sourceLengths
    }
}
