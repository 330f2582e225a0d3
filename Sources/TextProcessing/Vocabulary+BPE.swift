extension Vocabulary {
    /// A subword vocabulary: the specials, then the pieces counted at least `minCount` times by
    /// count (ties in code point order) cut at `maxSize`, then every character of `characters` as a
    /// final piece (`c`) and a continuing one (`c@@`) whatever `minCount` and `maxSize` say, so that
    /// a word made of known characters never becomes `<unk>` (with a segmenter that splits pieces
    /// the vocabulary lacks).
    public static func build(pieces: TokenCounts, characters: Set<String>, separator: String = "@@",
                             minCount: Int = 1, maxSize: Int? = nil) -> Vocabulary {
        let base = build(counts: pieces, minCount: minCount, maxSize: maxSize)
        var tokens = base.tokens
        for character in characters.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            for piece in [character, character + separator] where !base.contains(piece) { tokens.append(piece) }
        }
        return try! Vocabulary(tokens: tokens)  // distinct and non-empty by construction
    }

    /// The subword vocabulary of counted words: their pieces (from `segmenter`) counted and built
    /// as `build(pieces:characters:...)` does with the characters of every word; also the piece counts.
    public static func build(words: TokenCounts, segmenter: BPESegmenter, minCount: Int = 1,
                             maxSize: Int? = nil) -> (vocabulary: Vocabulary, pieces: TokenCounts) {
        let pieces = TokenCounts()
        var characters = Set<String>()
        for index in 0..<words.types {
            let word = words.table.key(index), count = words.counts[index]
            segmenter.forEachPiece(ofWord: word) { pieces.add(utf8: $0, times: count) }
            for scalar in String(decoding: word, as: UTF8.self).unicodeScalars { characters.insert(String(scalar)) }
        }
        let vocabulary = build(pieces: pieces, characters: characters, separator: segmenter.separator,
                               minCount: minCount, maxSize: maxSize)
        return (vocabulary, pieces)
    }

    /// Counts the words of `files` (from `settings`) on `workers` cores and builds their subword
    /// vocabulary as `build(words:segmenter:...)` does. Errors as `build(files:settings:...)`.
    public static func build(files: [String?], settings: TokenizerSettings, segmenter: BPESegmenter,
                             minCount: Int = 1, maxSize: Int? = nil, lenient: Bool = false,
                             workers: Int = ChunkPipeline.defaultWorkers) throws -> VocabularyBuild {
        let read = try BPEWords.count(files: files, settings: settings, lenient: lenient, workers: workers)
        let (vocabulary, pieces) = build(words: read.counts, segmenter: segmenter, minCount: minCount, maxSize: maxSize)
        return VocabularyBuild(vocabulary: vocabulary, counts: pieces, coverage: vocabulary.coverage(of: pieces),
                               lines: read.lines, bytes: read.bytes, replacements: read.replacements)
    }
}
