/// What a vocabulary covers of the corpus it was built from.
public struct VocabularyCoverage: Sendable, Equatable {
    /// Distinct tokens in the corpus.
    public var types: Int
    /// Tokens in the corpus, with repetition.
    public var tokens: Int
    /// Corpus types that have an id.
    public var typesCovered: Int
    /// Corpus tokens that would become `<unk>`.
    public var outOfVocabularyTokens: Int
    /// outOfVocabularyTokens / tokens (0 for an empty corpus).
    public var outOfVocabularyRate: Double { tokens == 0 ? 0 : Double(outOfVocabularyTokens) / Double(tokens) }
}

/// A vocabulary built from files, with the counts it came from.
public struct VocabularyBuild {
    public var vocabulary: Vocabulary
    public var counts: TokenCounts
    public var coverage: VocabularyCoverage
    /// Lines read.
    public var lines: Int
    /// Bytes read.
    public var bytes: Int
    /// Invalid UTF-8 sequences replaced with U+FFFD (lenient mode).
    public var replacements: Int
}

extension Vocabulary {
    /// The specials `<pad>`, `<unk>`, `<bos>`, `<eos>` (ids 0-3), then every token counted at least
    /// `minCount` times, by count descending, ties broken by Unicode code point order, cut so that
    /// the vocabulary has at most `maxSize` tokens (never fewer than the four specials). A corpus
    /// token equal to a special is not listed twice.
    public static func build(counts: TokenCounts, minCount: Int = 1, maxSize: Int? = nil) -> Vocabulary {
        var tokens = TokenizerSettings.specialTokens
        let limit = max(tokens.count, maxSize ?? Int.max)
        let specials = Set(tokens)
        for index in counts.sortedIndices() {
            guard tokens.count < limit, counts.counts[index] >= minCount else { break }
            let token = counts.table.string(index)
            if !specials.contains(token) { tokens.append(token) }
        }
        // Distinct, non-empty, specials present: cannot fail.
        return try! Vocabulary(tokens: tokens)
    }

    /// Counts the tokens of `files` (nil or "-" is standard input) with `settings`, streaming and on
    /// `workers` cores, and builds the vocabulary as `build(counts:minCount:maxSize:)` does. Throws
    /// `InputError` for a missing, unreadable or empty file, invalid UTF-8 (unless `lenient`) and
    /// over-long lines, naming the file and line. `progress` gets the bytes counted so far after
    /// each chunk.
    public static func build(files: [String?], settings: TokenizerSettings, minCount: Int = 1, maxSize: Int? = nil,
                             lenient: Bool = false, workers: Int = ChunkPipeline.defaultWorkers,
                             progress: ((Int) -> Void)? = nil) throws -> VocabularyBuild {
        let read = try TokenCounts.count(files: files, splitters: (0..<max(1, workers)).map { _ in Tokenizer(settings: settings) },
                                         lenient: lenient, progress: progress)
        let counts = read.counts
        let vocabulary = build(counts: counts, minCount: minCount, maxSize: maxSize)
        return VocabularyBuild(vocabulary: vocabulary, counts: counts, coverage: vocabulary.coverage(of: counts),
                               lines: read.lines, bytes: read.bytes, replacements: read.replacements)
    }

    /// How much of the counted corpus this vocabulary covers.
    public func coverage(of counts: TokenCounts) -> VocabularyCoverage {
        var covered = 0, oov = 0
        for index in 0..<counts.types {
            if table.find(counts.table.key(index)) >= 0 { covered += 1 } else { oov += counts.counts[index] }
        }
        return VocabularyCoverage(types: counts.types, tokens: counts.total, typesCovered: covered, outOfVocabularyTokens: oov)
    }
}

extension TokenCounts {
    /// The counts as `token<TAB>count` lines, by count descending then code point order.
    public func tsv() -> String {
        var text = ""
        for (token, count) in sorted() {
            text.append(token)
            text.append("\t")
            text.append(String(count))
            text.append("\n")
        }
        return text
    }
}
