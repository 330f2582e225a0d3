import Foundation

/// Cuts words into the subword pieces of a codes file exactly as subword-nmt 0.3.8 `apply-bpe`
/// does: the word's characters (the last one with `</w>`) are merged pair by pair, each time every
/// occurrence (left to right, not overlapping) of the adjacent pair with the lowest rank; every piece
/// but a word's last gets the separator (`@@`), so `lower` may become `low@@ er`.
///
/// - `glossaries` are kept whole wherever they occur inside a word (apply-bpe's `--glossaries`
///   with literal words): `1934USA` with glossary `USA` gives `19@@ 34@@ USA`.
/// - With a `vocabulary` (pieces written as the segmenter prints them, `low@@` and `er`), a piece
///   it lacks is split back along its merges until the parts are in it or are characters, as
///   apply-bpe's `--vocabulary` does.
///
/// Segmentations are cached per word. Not thread-safe (the cache): give each thread a `copy()`,
/// which shares the merge table.
///
///     let segmenter = BPESegmenter(codes: try BPECodes(contentsOf: "codes.bpe"))
///     segmenter.pieces("lowest")   // ["low@@", "est"]
public final class BPESegmenter {
    public let codes: BPECodes
    public let separator: String
    public let glossaries: [String]
    public let vocabulary: Set<String>?
    private let table: BPEMergeTable
    private let separatorBytes: [UInt8]

    // The cache: word bytes -> its segmented text ("low@@ est") in `cacheText`.
    private var cacheKeys = TokenTable(capacity: 1 << 14)
    private var cacheText: [UInt8] = []
    private var cacheStarts: [Int] = [0]
    private let cacheLimit: Int
    // Scratch for one word.
    private var symbols: [Int32] = []
    private var starts: [Int] = []
    private var merged: [Int32] = []
    private var mergedStarts: [Int] = []
    private var pieceBuffer: [UInt8] = []

    /// A segmenter for `codes`; `cacheLimit` words are remembered before the cache starts over.
    public convenience init(codes: BPECodes, separator: String = "@@", glossaries: [String] = [], vocabulary: Set<String>? = nil,
                cacheLimit: Int = 1 << 20) {
        self.init(table: BPEMergeTable(codes: codes), codes: codes, separator: separator, glossaries: glossaries,
                  vocabulary: vocabulary, cacheLimit: cacheLimit)
    }

    /// A model's segmenter: the protected tokens of its tokenizer `settings` stay whole; with
    /// `vocabulary`, pieces it lacks are split back along their merges.
    public convenience init(codes: BPECodes, settings: TokenizerSettings, vocabulary: Vocabulary? = nil) {
        self.init(codes: codes, glossaries: settings.protectedTokens, vocabulary: vocabulary.map { Set($0.tokens) })
    }

    private init(table: BPEMergeTable, codes: BPECodes, separator: String, glossaries: [String], vocabulary: Set<String>?,
                 cacheLimit: Int) {
        self.table = table
        self.codes = codes
        self.separator = separator
        self.separatorBytes = Array(separator.utf8)
        self.glossaries = glossaries.filter { !$0.isEmpty }
        self.vocabulary = vocabulary
        self.cacheLimit = max(1, cacheLimit)
    }

    /// A segmenter with the same codes and options (and an empty cache), for another thread.
    public func copy() -> BPESegmenter {
        BPESegmenter(table: table, codes: codes, separator: separator, glossaries: glossaries, vocabulary: vocabulary,
                     cacheLimit: cacheLimit)
    }

    /// The pieces of `word`, every one but the last ending in the separator.
    public func pieces(_ word: String) -> [String] {
        var word = word
        var result: [String] = []
        word.withUTF8 { forEachPiece(ofWord: UnsafeRawBufferPointer($0)) { result.append(String(decoding: $0, as: UTF8.self)) } }
        return result
    }

    /// The pieces of every token, in order.
    public func pieces(ofTokens tokens: [String]) -> [String] { tokens.flatMap(pieces) }

    /// Calls `body` with the bytes of each piece of the UTF-8 `word` (no spaces in it).
    @inline(__always)
    public func forEachPiece(ofWord word: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let entry = cachedEntry(word)
        try cacheText.withUnsafeBytes { text in
            let end = cacheStarts[entry + 1]
            var start = cacheStarts[entry]
            var i = start
            while i < end {
                if text[i] == 0x20 {
                    try body(UnsafeRawBufferPointer(rebasing: text[start..<i]))
                    start = i + 1
                }
                i += 1
            }
            try body(UnsafeRawBufferPointer(rebasing: text[start..<end]))
        }
    }

    /// Appends the pieces of `word` separated by single spaces ("low@@ est").
    @inline(__always)
    public func appendSegmented(word: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let entry = cachedEntry(word)
        out.append(contentsOf: cacheText[cacheStarts[entry]..<cacheStarts[entry + 1]])
    }

    /// Appends the segmented line: with `words` from the ICU tokenizer, the pieces of its tokens
    /// separated by single spaces; with the whitespace tokenizer exactly what apply-bpe writes for the
    /// line (runs of spaces inside it become one; spaces at its ends are kept). No "\n" is added.
    public func appendSegmentedLine(_ line: UnsafeRawBufferPointer, words: BPEWords, to out: inout [UInt8]) {
        if words.settings.kind == .icu {
            var first = true
            words.forEachWord(inUTF8: line) { word in
                if !first { out.append(0x20) }
                appendSegmented(word: word, to: &out)
                first = false
            }
            return
        }
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        // Python's lines: each ends after a line boundary ("\r" or another of str.splitlines's).
        var start = 0
        var i = 0
        let n = line.count
        while i < n {
            let byte = base[i]
            let boundary = byte == 0x0D ? 1 : (byte < 0x20 || byte == 0xC2 || byte == 0xE2) ? BPEWords.lineBoundaryLength(base, i, n) : 0
            if boundary > 0 {
                appendPythonLine(base, start, i + boundary, to: &out)
                i += boundary
                start = i
            } else {
                i += 1
            }
        }
        if start < n { appendPythonLine(base, start, n, to: &out) }
    }

    /// apply-bpe's `process_line` for base[start..<end]: leading spaces/"\r", the words' pieces joined
    /// by single spaces, trailing spaces/"\r".
    private func appendPythonLine(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) {
        var contentStart = start
        while contentStart < end && (base[contentStart] == 0x20 || base[contentStart] == 0x0D) { contentStart += 1 }
        if contentStart == end {
            out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
            return
        }
        var contentEnd = end
        while base[contentEnd - 1] == 0x20 || base[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: contentStart - start))
        var first = true
        BPEWords.forEachSpaceSeparatedWord(in: UnsafeRawBufferPointer(start: base + contentStart, count: contentEnd - contentStart)) { word in
            if !first { out.append(0x20) }
            appendSegmented(word: word, to: &out)
            first = false
        }
        out.append(contentsOf: UnsafeBufferPointer(start: base + contentEnd, count: end - contentEnd))
    }

    /// The cache entry of `word`, segmenting it on a miss.
    @inline(__always)
    private func cachedEntry(_ word: UnsafeRawBufferPointer) -> Int {
        let found = cacheKeys.find(word)
        if found >= 0 { return found }
        if cacheKeys.count >= cacheLimit {
            cacheKeys = TokenTable(capacity: 1 << 14)
            cacheText.removeAll(keepingCapacity: true)
            cacheStarts = [0]
        }
        segment(word)
        return cacheKeys.insert(word)
    }

    /// Appends the segmentation of `word` to `cacheText` and its end to `cacheStarts`.
    private func segment(_ word: UnsafeRawBufferPointer) {
        var parts: [UnsafeRawBufferPointer] = [word]
        for glossary in glossaries { parts = parts.flatMap { BPESegmenter.isolate(glossary, in: $0) } }
        var pieces: [[UInt8]] = []
        for part in parts { pieces.append(contentsOf: encode(part)) }
        for (index, piece) in pieces.enumerated() {
            if index > 0 { cacheText.append(0x20) }
            cacheText.append(contentsOf: piece)
            if index < pieces.count - 1 { cacheText.append(contentsOf: separatorBytes) }
        }
        cacheStarts.append(cacheText.count)
    }

    /// apply-bpe's `encode` for one word (or glossary-isolated part of one): its pieces, without
    /// separators or `</w>`.
    private func encode(_ word: UnsafeRawBufferPointer) -> [[UInt8]] {
        if glossaries.contains(where: { BPESegmenter.equals($0, word) }) { return [Array(word)] }
        // Characters: byte starts of each scalar, and each one's symbol (the last with </w>).
        starts.removeAll(keepingCapacity: true)
        for (i, byte) in word.enumerated() where byte & 0xC0 != 0x80 { starts.append(i) }
        let n = starts.count
        if n <= 1 { return [Array(word)] }
        starts.append(word.count)
        symbols.removeAll(keepingCapacity: true)
        for k in 0..<n {
            let bytes = UnsafeRawBufferPointer(rebasing: word[starts[k]..<starts[k + 1]])
            symbols.append(k < n - 1 ? table.symbol(bytes) : table.finalSymbol(bytes, scratch: &pieceBuffer))
        }
        while symbols.count > 1 {
            var best = Int32.max, bestMerged: Int32 = -1, bestLeft: Int32 = -1, bestRight: Int32 = -1
            for k in 0..<(symbols.count - 1) {
                if let merge = table.merge(symbols[k], symbols[k + 1]), merge.rank < best {
                    best = merge.rank
                    bestMerged = merge.merged
                    bestLeft = symbols[k]
                    bestRight = symbols[k + 1]
                }
            }
            if bestMerged < 0 { break }
            merged.removeAll(keepingCapacity: true)
            mergedStarts.removeAll(keepingCapacity: true)
            var k = 0
            while k < symbols.count {
                mergedStarts.append(starts[k])
                if k + 1 < symbols.count && symbols[k] == bestLeft && symbols[k + 1] == bestRight {
                    merged.append(bestMerged)
                    k += 2
                } else {
                    merged.append(symbols[k])
                    k += 1
                }
            }
            mergedStarts.append(word.count)
            swap(&symbols, &merged)
            swap(&starts, &mergedStarts)
        }
        var pieces = (0..<symbols.count).map { Array(word[starts[$0]..<starts[$0 + 1]]) }
        if let vocabulary { pieces = splitOutOfVocabulary(pieces, vocabulary) }
        return pieces
    }

    /// apply-bpe's `check_vocab_and_split`: pieces missing from `vocabulary` split back along
    /// their merges.
    private func splitOutOfVocabulary(_ pieces: [[UInt8]], _ vocabulary: Set<String>) -> [[UInt8]] {
        var out: [String] = []
        let strings = pieces.map { String(decoding: $0, as: UTF8.self) }
        for piece in strings.dropLast() {
            if vocabulary.contains(piece + separator) { out.append(piece) } else { splitBack(piece, final: false, vocabulary, into: &out) }
        }
        let last = strings[strings.count - 1]
        if vocabulary.contains(last) { out.append(last) } else { splitBack(last, final: true, vocabulary, into: &out) }
        return out.map { Array($0.utf8) }
    }

    /// apply-bpe's `recursive_split`.
    private func splitBack(_ segment: String, final: Bool, _ vocabulary: Set<String>, into out: inout [String]) {
        guard let (left, rightSymbol) = table.unmerge(final ? segment + BPECodes.endOfWord : segment) else {
            out.append(segment)
            return
        }
        let right = final ? String(String.UnicodeScalarView(rightSymbol.unicodeScalars.dropLast(4))) : rightSymbol
        if vocabulary.contains(left + separator) { out.append(left) } else { splitBack(left, final: false, vocabulary, into: &out) }
        if final ? vocabulary.contains(right) : vocabulary.contains(right + separator) {
            out.append(right)
        } else {
            splitBack(right, final: final, vocabulary, into: &out)
        }
    }

    /// apply-bpe's `isolate_glossary` for a literal glossary: `word` cut around each occurrence of
    /// `glossary` (left to right, not overlapping), empty parts dropped.
    static func isolate(_ glossary: String, in word: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        let g = Array(glossary.utf8)
        guard word.count > g.count, let base = word.baseAddress else { return [word] }
        var parts: [UnsafeRawBufferPointer] = []
        var start = 0, i = 0
        while i + g.count <= word.count {
            if memcmp(base + i, g, g.count) == 0 {
                if i > start { parts.append(UnsafeRawBufferPointer(start: base + start, count: i - start)) }
                parts.append(UnsafeRawBufferPointer(start: base + i, count: g.count))
                i += g.count
                start = i
            } else {
                i += 1
            }
        }
        if parts.isEmpty { return [word] }
        if start < word.count { parts.append(UnsafeRawBufferPointer(start: base + start, count: word.count - start)) }
        return parts
    }

    static func equals(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { $0.count == bytes.count && ($0.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, $0.count) == 0) }
    }
}

/// The merges of a codes file as ids: symbol strings interned, (left, right) → (rank, merged), and
/// merged → (left, right) for splitting back. Immutable once built; shared by segmenter copies.
final class BPEMergeTable: @unchecked Sendable {
    private let symbols = TokenTable(capacity: 1 << 12)
    private var merges: [UInt64: (rank: Int32, merged: Int32)] = [:]
    private var unmerges: [Int32: (left: Int32, right: Int32)] = [:]

    init(codes: BPECodes) {
        var lastRank: [UInt64: Int] = [:]
        for (rank, merge) in codes.merges.enumerated() {
            let left = Int32(symbols.insert(merge.left)), right = Int32(symbols.insert(merge.right))
            let merged = Int32(symbols.insert(merge.left + merge.right))
            let key = BPEMergeTable.key(left, right)
            if merges[key] == nil { merges[key] = (Int32(rank), merged) }  // a duplicate keeps its first rank
            lastRank[key] = rank
        }
        // apply-bpe's reverse map keeps, among pairs that make the same string, the one whose last
        // occurrence comes first.
        var chosen: [Int32: Int] = [:]
        for (key, last) in lastRank {
            let merged = merges[key]!.merged
            if let other = chosen[merged], other <= last { continue }
            chosen[merged] = last
            unmerges[merged] = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
        }
    }

    @inline(__always)
    static func key(_ left: Int32, _ right: Int32) -> UInt64 { UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right)) }

    /// The id of a symbol, -1 when no merge mentions it.
    @inline(__always)
    func symbol(_ bytes: UnsafeRawBufferPointer) -> Int32 { Int32(symbols.find(bytes)) }

    /// The id of a character with `</w>` appended (built in the caller's `scratch`), -1 when no
    /// merge mentions it.
    @inline(__always)
    func finalSymbol(_ bytes: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> Int32 {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes)
        scratch.append(contentsOf: [0x3C, 0x2F, 0x77, 0x3E])  // </w>
        return scratch.withUnsafeBytes { Int32(symbols.find($0)) }
    }

    /// The rank and result of merging `left` and `right`, or nil.
    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> (rank: Int32, merged: Int32)? {
        guard left >= 0 && right >= 0 else { return nil }
        return merges[BPEMergeTable.key(left, right)]
    }

    /// The pair a symbol was merged from, as strings, or nil.
    func unmerge(_ symbol: String) -> (String, String)? {
        let id = symbols.find(symbol)
        guard id >= 0, let pair = unmerges[Int32(id)] else { return nil }
        return (symbols.string(Int(pair.left)), symbols.string(Int(pair.right)))
    }
}
