/// Cuts a line into tokens: the `Tokenizer`, or `BPEWords` (subword-nmt's words).
public protocol LineSplitter {
    /// Calls `body` with the UTF-8 bytes of each token of the valid UTF-8 `line` (no "\n").
    func forEachToken(inUTF8 line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows
}

extension Tokenizer: LineSplitter {}

/// The tokens of a corpus counted, and what was read.
public struct CorpusCounts {
    public var counts: TokenCounts
    public var lines: Int
    public var bytes: Int
    /// Invalid UTF-8 sequences replaced with U+FFFD (lenient mode).
    public var replacements: Int
}

extension TokenCounts {
    /// Counts the tokens `splitters` make of `files` (nil or "-" is standard input), streaming, one
    /// worker per splitter. Throws `InputError` for a missing, unreadable or empty file, invalid
    /// UTF-8 (unless `lenient`) and over-long lines, naming the file and line. `progress` gets the
    /// bytes counted so far after each chunk.
    public static func count<Splitter: LineSplitter>(files: [String?], splitters: [Splitter], lenient: Bool = false,
                                                     progress: ((Int) -> Void)? = nil) throws -> CorpusCounts {
        precondition(!splitters.isEmpty, "count needs at least one splitter")
        let partials = splitters.map { _ in TokenCounts() }
        var lines = 0, bytes = 0, replacements = 0
        try LineReader.forEach(files) { reader in
            try ChunkPipeline.run(reader: reader, workers: splitters.count, work: { worker, chunk -> (lines: Int, replaced: Int, bytes: Int) in
                let splitter = splitters[worker], counts = partials[worker]
                var lineCount = 0
                let replaced = try chunk.forEachLine(lenient: lenient) { line in
                    lineCount += 1
                    splitter.forEachToken(inUTF8: line) { counts.add(utf8: $0) }
                }
                return (lineCount, replaced, chunk.bytes.count)
            }, consume: { result in
                lines += result.lines
                replacements += result.replaced
                bytes += result.bytes
                progress?(bytes)
            })
        }
        let counts = partials[0]
        for other in partials.dropFirst() { counts.merge(other) }
        return CorpusCounts(counts: counts, lines: lines, bytes: bytes, replacements: replacements)
    }
}
