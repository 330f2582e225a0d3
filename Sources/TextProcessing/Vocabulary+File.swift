extension Vocabulary {
    /// Reads `vocab.txt`: one token per line, the line number (from 0) is the id. Throws
    /// `InputError` naming the file (and line) when it is missing, not UTF-8, or malformed.
    public init(contentsOf path: String) throws {
        let tokens = try LineReader.lines(of: path)
        if tokens.isEmpty { throw InputError("the vocabulary file is empty", file: path) }
        try self.init(tokens: tokens, source: path)
    }

    /// Writes the tokens one per line, atomically (temporary file + rename).
    public func write(to path: String) throws {
        var text = tokens.joined(separator: "\n")
        text.append("\n")
        try AtomicFile.write(text, to: path)
    }
}
