import TextProcessing

/// Text read as a language model reads it: one stream of ids, each line's tokens followed by
/// `<eos>` (an empty line gives a lone `<eos>`); a token the vocabulary lacks becomes `<unk>`.
public struct TokenStream: Sendable {
    /// The ids, in order.
    public var ids: [Int32]
    /// Number of lines read.
    public var lines: Int
    /// Number of tokens (not counting `<eos>`) that became `<unk>`, whether or not the text itself
    /// says `<unk>`.
    public var unknown: Int
    /// The file the stream came from, for messages.
    public var source: String
    /// Words (tokens of the tokenizer) when the ids are their subword pieces; nil when ids are words.
    public var words: Int?

    /// Reads `path` ("-" for standard input) with `tokenizer` into ids of `vocabulary`, each token
    /// cut into subword pieces by `segmenter` when given. Throws `InputError` naming the file (and
    /// line) when it is missing, unreadable or not UTF-8.
    public init(path: String, tokenizer: Tokenizer, vocabulary: Vocabulary, segmenter: BPESegmenter? = nil) throws {
        let reader = try LineReader(path: path)
        var ids: [Int32] = []
        if let size = reader.fileSize { ids.reserveCapacity(size / 5) }
        var lines = 0, words = 0
        // Blocks of 64 KiB: as fast as larger ones, and cheap for small files in debug builds.
        while let chunk = try reader.readChunk(targetBytes: 1 << 16) {
            try chunk.forEachLine { line in
                if let segmenter {
                    tokenizer.forEachToken(inUTF8: line) { word in
                        segmenter.forEachPiece(ofWord: word) { ids.append(vocabulary.id(utf8: $0)) }
                        words += 1
                    }
                } else {
                    tokenizer.appendIDs(line, vocabulary: vocabulary, to: &ids)
                }
                ids.append(vocabulary.eosID)
                lines += 1
            }
        }
        self.init(ids: ids, lines: lines, vocabulary: vocabulary, source: reader.source)
        if segmenter != nil { self.words = words }
    }

    /// The stream of `lines` of text (tests, prompts).
    public init(lines: [String], tokenizer: Tokenizer, vocabulary: Vocabulary) {
        var ids: [Int32] = []
        for line in lines {
            ids += tokenizer.ids(line, vocabulary: vocabulary)
            ids.append(vocabulary.eosID)
        }
        self.init(ids: ids, lines: lines.count, vocabulary: vocabulary, source: "<text>")
    }

    init(ids: [Int32], lines: Int, vocabulary: Vocabulary, source: String) {
        self.ids = ids
        self.lines = lines
        self.source = source
        unknown = ids.reduce(0) { $0 + ($1 == vocabulary.unkID ? 1 : 0) }
    }

    /// Number of ids, `<eos>` included.
    public var count: Int { ids.count }

    /// Throws `InputError` naming the file when the stream has no tokens, or none that `vocabulary`
    /// knows (every token would be `<unk>`: `hint` says what to check). `what` names the file.
    public func requireKnownTokens(_ vocabulary: Vocabulary, what: String = "the file", hint: String) throws {
        if count < 2 || count == lines { throw InputError("\(what) has no tokens", file: source) }
        guard ids.contains(where: { $0 != vocabulary.unkID && $0 != vocabulary.eosID }) else {
            throw InputError("\(what) has no word the vocabulary knows (every token would be <unk>); \(hint)", file: source)
        }
    }
}
