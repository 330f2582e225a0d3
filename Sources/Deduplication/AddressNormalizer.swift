import TextProcessing

/// Turns a field into the canonical form that pairs are compared in: NFKC with case folding (ICU
/// "nfkc_cf"), transliterated to Latin and then ASCII ("Any-Latin; Latin-ASCII"), apostrophes
/// dropped, other punctuation turned into spaces, standard abbreviations expanded (street types,
/// directions, unit designators), numbers kept as tokens, tokens joined by single spaces.
///
///     try AddressNormalizer().normalize("12 N. Main St., Apt #4")   // "12 north main street apartment 4"
///     try AddressNormalizer().normalize("Straße 5, Zürich")          // "strasse 5 zurich"
///
/// ASCII text skips ICU (NFKC, case folding and transliteration leave it unchanged apart from the
/// lower-casing done here), so the common case runs at memory speed. Safe to share between threads.
public final class AddressNormalizer: @unchecked Sendable {
    private let unicode = ICUNormalizer(.nfkcCasefold)
    private let transliterator: Transliterator
    /// Expansions keyed by the token's bytes packed into a UInt64 (tokens of at most 8 bytes).
    private let always: UInt64Table<[UInt8]>
    private let directions: UInt64Table<[UInt8]>
    private let saint = Array(AbbreviationTable.saint.utf8)
    private let st = AddressNormalizer.pack(Array("st".utf8)[...])!

    public init() throws {
        transliterator = try Transliterator("Any-Latin; Latin-ASCII")
        always = AddressNormalizer.packed(AbbreviationTable.streetTypes.merging(AbbreviationTable.units, uniquingKeysWith: { a, _ in a }))
        directions = AddressNormalizer.packed(AbbreviationTable.directions)
    }

    /// An abbreviation table keyed by the packed abbreviations.
    static func packed(_ table: [String: String]) -> UInt64Table<[UInt8]> {
        UInt64Table(table.map { (pack(Array($0.key.utf8)[...])!, Array($0.value.utf8)) })
    }

    /// One thread's working buffers for `normalize(utf8:into:scratch:)`: once grown, a call
    /// allocates nothing.
    public struct Scratch {
        var bytes: [UInt8] = []
        var tokens: [Range<Int>] = []
        public init() {}
    }

    /// The canonical form of `text`.
    public func normalize(_ text: String) -> String {
        var out: [UInt8] = []
        normalize(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the canonical UTF-8 bytes of `text` to `out`.
    public func normalize(_ text: String, into out: inout [UInt8]) {
        normalize(utf8: Array(text.utf8)[...], into: &out)
    }

    /// Appends the canonical UTF-8 bytes of the text whose (valid) UTF-8 bytes are `utf8` to `out`.
    public func normalize(utf8: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var scratch = Scratch()
        normalize(utf8: utf8, into: &out, scratch: &scratch)
    }

    /// `normalize(utf8:into:)` with working buffers kept from call to call (one per thread).
    public func normalize(utf8: ArraySlice<UInt8>, into out: inout [UInt8], scratch: inout Scratch) {
        utf8.withUnsafeBufferPointer { normalize(utf8: $0, into: &out, scratch: &scratch) }
    }

    /// `normalize(utf8:into:scratch:)` on bytes read through a pointer (no reference counting per
    /// field or token).
    func normalize(utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], scratch: inout Scratch) {
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.tokens.removeAll(keepingCapacity: true)
        if utf8.allSatisfy({ $0 < 0x80 }) {
            scratch.bytes.append(contentsOf: utf8)
        } else {
            scratch.bytes.append(contentsOf: transliterator.transliterate(unicode.normalize(String(decoding: utf8, as: UTF8.self))).utf8)
        }
        // Lower-case, drop apostrophes, punctuation to spaces; find the token boundaries. The text
        // is compacted in place (`write` never passes the byte being read).
        var write = 0
        var tokenStart = -1
        scratch.bytes.withUnsafeMutableBufferPointer { bytes in
            for read in bytes.indices {
                var b = bytes[read]
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
                if b == 0x27 || b == 0x60 { continue }  // ' and ` join: o'brien → obrien
                let isWord = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
                if isWord {
                    if tokenStart < 0 { tokenStart = write }
                    bytes[write] = b
                    write += 1
                } else if tokenStart >= 0 {
                    scratch.tokens.append(tokenStart..<write)
                    tokenStart = -1
                }
            }
        }
        if tokenStart >= 0 { scratch.tokens.append(tokenStart..<write) }
        scratch.bytes.withUnsafeBufferPointer { bytes in
        scratch.tokens.withUnsafeBufferPointer { tokens in
            for (index, range) in tokens.enumerated() {
                if index > 0 { out.append(0x20) }
                let token = UnsafeBufferPointer(rebasing: bytes[range])
                guard let key = AddressNormalizer.pack(token) else {
                    out.append(contentsOf: token)
                    continue
                }
                if key == st, index == 0, tokens.count > 1 {
                    out.append(contentsOf: saint)
                } else if let expansion = always[key] {
                    out.append(contentsOf: expansion)
                } else if tokens.count > 1, let expansion = directions[key] {
                    out.append(contentsOf: expansion)
                } else {
                    out.append(contentsOf: token)
                }
            }
        }}
    }

    /// Up to 8 bytes packed into a UInt64 (nil when longer).
    static func pack<Bytes: Collection<UInt8>>(_ token: Bytes) -> UInt64? {
        guard token.count <= 8 else { return nil }
        var key: UInt64 = 0
        for byte in token { key = key << 8 | UInt64(byte) }
        return key
    }
}

