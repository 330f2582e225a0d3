import TextProcessing

extension ParallelCorpus {
    /// Byte-pair encoding codes learned on the tokens of `sides` (one side for separate codes, both
    /// for joint ones), exactly as subword-nmt learn-bpe would on those words.
    public static func learnCodes(_ sides: [[[String]]], merges: Int, minFrequency: Int = 2) -> BPECodes {
        BPELearner(merges: merges, minFrequency: minFrequency).learn(counts: TokenCounts(sides.flatMap { $0 }))
    }

    /// A subword vocabulary for the sentences' tokens: their pieces by count (at least `minCount`
    /// times, at most `maxSize` in all), plus every character of the tokens as a final and a
    /// continuing piece whatever `minCount` and `maxSize` say.
    public static func subwordVocabulary(_ sentences: [[String]], segmenter: BPESegmenter, minCount: Int, maxSize: Int?) -> Vocabulary {
        Vocabulary.build(words: TokenCounts(sentences), segmenter: segmenter, minCount: minCount, maxSize: maxSize).vocabulary
    }

    /// The corpus with each side's tokens mapped (to subword pieces, say).
    public func mapped(source: ([String]) -> [String], target: ([String]) -> [String]) -> ParallelCorpus {
        var copy = self
        copy.sources = sources.map(source)
        copy.targets = targets.map(target)
        return copy
    }
}
