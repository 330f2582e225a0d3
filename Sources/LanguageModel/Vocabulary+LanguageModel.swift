import TextProcessing

extension Vocabulary {
    /// Reads a `vocab.txt` as `Vocabulary(contentsOf:)` does (one token per line, the line number
    /// is the id; `InputError` naming the file and line), in 64 KiB blocks so that loading a model
    /// stays quick in debug builds too.
    static func languageModelVocabulary(path: String) throws -> Vocabulary {
        let reader = try LineReader(path: path)
        var tokens: [String] = []
        while let chunk = try reader.readChunk(targetBytes: 1 << 16) {
            try chunk.forEachLine { tokens.append(String(decoding: $0, as: UTF8.self)) }
        }
        if tokens.isEmpty { throw InputError("the vocabulary file is empty", file: path) }
        return try Vocabulary(tokens: tokens, source: path)
    }
}
