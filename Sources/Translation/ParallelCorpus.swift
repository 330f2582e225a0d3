import TextProcessing

/// Sentence pairs read from two line-aligned files (line i of one translates line i of the other),
/// tokenized, ready to become vocabularies and id sequences.
public struct ParallelCorpus: Sendable {
    public var sources: [[String]]
    public var targets: [[String]]
    /// The raw target lines (BLEU references).
    public var rawTargets: [String]

    /// Reads and tokenizes both files. Throws `InputError` naming the file for a missing or unreadable
    /// file, invalid UTF-8, or files of different line counts.
    public init(sourcePath: String, targetPath: String, sourceTokenizer: Tokenizer, targetTokenizer: Tokenizer) throws {
        let sourceLines = try LineReader.lines(of: sourcePath)
        let targetLines = try LineReader.lines(of: targetPath)
        guard sourceLines.count == targetLines.count else {
            throw InputError("has \(targetLines.count) lines but \(sourcePath) has \(sourceLines.count); the two files must be line-aligned translations", file: targetPath)
        }
        guard !sourceLines.isEmpty else { throw InputError("the file is empty; give one sentence per line", file: sourcePath) }
        sources = sourceLines.map(sourceTokenizer.tokens)
        targets = targetLines.map(targetTokenizer.tokens)
        rawTargets = targetLines
    }

    public var count: Int { sources.count }

    /// Builds a vocabulary from token lists: the four specials, then tokens seen at least `minCount`
    /// times, most frequent first, at most `maxSize` in all.
    public static func vocabulary(_ sentences: [[String]], minCount: Int, maxSize: Int?) -> Vocabulary {
        Vocabulary.build(counts: TokenCounts(sentences), minCount: minCount, maxSize: maxSize)
    }

    /// The pairs as ids, leaving out pairs with an empty side or a side longer than `maxLength`
    /// tokens; returns the pairs, their line indices and how many were skipped.
    public func encoded(source: Vocabulary, target: Vocabulary, maxLength: Int)
        -> (pairs: [(source: [Int32], target: [Int32])], lines: [Int], skipped: Int) {
        var pairs: [(source: [Int32], target: [Int32])] = [], lines: [Int] = []
        var skipped = 0
        for i in 0..<count {
            if sources[i].isEmpty || targets[i].isEmpty || sources[i].count > maxLength || targets[i].count > maxLength {
                skipped += 1
                continue
            }
            pairs.append((source.encode(sources[i]), target.encode(targets[i])))
            lines.append(i)
        }
        return (pairs, lines, skipped)
    }
}
