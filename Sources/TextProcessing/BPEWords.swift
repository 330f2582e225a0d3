/// The words byte-pair encoding learns on and segments: with the ICU tokenizer its tokens; with the
/// whitespace tokenizer the line cut the way subword-nmt 0.3.8 cuts it, so that codes and
/// segmentations are byte for byte those of `subword-nmt learn-bpe` / `apply-bpe`:
///
/// - words are separated by the space character alone (a tab stays inside a word);
/// - Python reads files with `str.splitlines`, so "\r", "\u{0B}", "\u{0C}", "\u{1C}"–"\u{1E}",
///   U+0085, U+2028 and U+2029 also end a line: "\r" vanishes, the others stay at the end of the
///   word they close ("a\u{0C}b" is the words "a\u{0C}" and "b").
///
/// Not thread-safe with the ICU tokenizer: give each thread its own.
public struct BPEWords {
    public let settings: TokenizerSettings
    private let tokenizer: Tokenizer?

    public init(settings: TokenizerSettings) {
        self.settings = settings
        tokenizer = settings.kind == .icu ? Tokenizer(settings: settings) : nil
    }

    /// Calls `body` with the UTF-8 bytes of each word of the valid UTF-8 `line` (no "\n").
    @inline(__always)
    public func forEachWord(inUTF8 line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if let tokenizer {
            try tokenizer.forEachToken(inUTF8: line, body)
        } else {
            try BPEWords.forEachSpaceSeparatedWord(in: line, body)
        }
    }

    /// The words of `line`.
    public func words(_ line: String) -> [String] {
        var line = line
        var result: [String] = []
        line.withUTF8 { forEachWord(inUTF8: UnsafeRawBufferPointer($0)) { result.append(String(decoding: $0, as: UTF8.self)) } }
        return result
    }

    /// subword-nmt's words: split on " ", "\r" and Python's other line boundaries (kept at the word's
    /// end); empty words skipped.
    @inline(__always)
    public static func forEachSpaceSeparatedWord(in line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = line.count
        var start = 0
        var i = 0
        while i < n {
            let byte = base[i]
            if byte == 0x20 || byte == 0x0D {
                if i > start { try body(UnsafeRawBufferPointer(start: base + start, count: i - start)) }
                i += 1
                start = i
            } else if byte < 0x20 || byte == 0xC2 || byte == 0xE2 {
                let boundary = lineBoundaryLength(base, i, n)
                if boundary > 0 {
                    i += boundary
                    try body(UnsafeRawBufferPointer(start: base + start, count: i - start))
                    start = i
                } else {
                    i += 1
                }
            } else {
                i += 1
            }
        }
        if n > start { try body(UnsafeRawBufferPointer(start: base + start, count: n - start)) }
    }

    /// The length in bytes of the line boundary other than "\r" and "\n" that Python's
    /// `str.splitlines` knows (U+000B, U+000C, U+001C–U+001E, U+0085, U+2028, U+2029) starting at
    /// `base[i]`, or 0.
    @inline(__always)
    static func lineBoundaryLength(_ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        switch base[i] {
        case 0x0B, 0x0C, 0x1C, 0x1D, 0x1E: return 1
        case 0xC2: return i + 1 < n && base[i + 1] == 0x85 ? 2 : 0
        case 0xE2: return i + 2 < n && base[i + 1] == 0x80 && (base[i + 2] == 0xA8 || base[i + 2] == 0xA9) ? 3 : 0
        default: return 0
        }
    }
}

extension BPEWords: LineSplitter {
    @inline(__always)
    public func forEachToken(inUTF8 line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try forEachWord(inUTF8: line, body)
    }

    /// Counts the words of `files` (nil or "-" is standard input) on `workers` cores, streaming;
    /// errors as `TokenCounts.count(files:splitters:)`.
    public static func count(files: [String?], settings: TokenizerSettings, lenient: Bool = false,
                             workers: Int = ChunkPipeline.defaultWorkers, progress: ((Int) -> Void)? = nil) throws -> CorpusCounts {
        try TokenCounts.count(files: files, splitters: (0..<max(1, workers)).map { _ in BPEWords(settings: settings) },
                              lenient: lenient, progress: progress)
    }
}
