import Foundation

/// How N ranks split one CSV file into rows without reading each other's bytes, exactly and safe
/// under RFC 4180 (a quoted field may hold line breaks, so a line break is not always a row break).
/// The rows after the header, bytes [dataStart, end), are cut into N even raw ranges. A byte is
/// inside quotes when an odd number of `"` precede it (from the header's end, where no quote is
/// open; a doubled quote `""` counts twice and changes nothing), so each rank counts the quotes of
/// its raw range, and an exclusive prefix sum over ranks (MPI_Exscan) gives the parity at its
/// start. A rank's rows then start at the first position q of its raw range where byte q−1 is a
/// line break outside quotes (and q is not the LF of a CRLF); ranks whose raw range holds no such q
/// own no rows. Rank r owns [start r, start of the next rank that found one). Line numbers: one plus
/// the line breaks before a position (LF, or CR not followed by LF, as `CSVParser` counts them),
/// counted in the raw ranges in the same pass as the quotes and summed by the same prefix sum (a
/// rank adds those between its raw start and its first row); row numbers by a second prefix sum.
/// Exact for any well-formed file; a malformed one fails on the rank holding its first bad row
/// with the line a single process reports.
public enum CSVRowRanges {
    static let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, quote: UInt8 = 0x22

    /// Rank `rank`'s raw share of [dataStart, end): N nearly equal consecutive ranges.
    public static func rawRange(rank: Int, ranks: Int, dataStart: Int, end: Int) -> Range<Int> {
        let length = end - dataStart
        return (dataStart + length * rank / ranks)..<(dataStart + length * (rank + 1) / ranks)
    }

    /// The `"` bytes and the line breaks in `bytes`, the file's bytes up to the byte `next` (nil: the
    /// file's end): each LF, and each CR not followed by an LF (a CRLF counts once, at its LF, also
    /// when `next` is that LF). One pass, 32 bytes at a time (a byte-by-byte count of the quotes and
    /// a second of the breaks took ~0.07 s of a 40 MB share, this ~0.01 s, at load 4–7).
    public static func quotesAndLineBreaks(_ bytes: ArraySlice<UInt8>, next: UInt8?) -> (quotes: Int, lineBreaks: Int) {
        typealias Lanes = SIMD32<UInt8>
        let (quotes, lfs, crs) = bytes.withUnsafeBufferPointer { bytes -> (Int, Int, Int) in
            var quotes = 0, lfs = 0, crs = 0, start = 0
            let total = { (counts: Lanes) in Int(SIMD32<UInt16>(truncatingIfNeeded: counts).wrappedSum()) }
            // Blocks of at most 255 vectors, so that no lane's count (one byte) wraps.
            while start + Lanes.scalarCount <= bytes.count {
                let vectors = min(255, (bytes.count - start) / Lanes.scalarCount)
                var q = Lanes(), l = Lanes(), c = Lanes()
                for k in 0..<vectors {
                    let v = UnsafeRawPointer(bytes.baseAddress! + start + k * Lanes.scalarCount).loadUnaligned(as: Lanes.self)
                    // A true lane is all ones, 255: subtracting it adds one.
                    q &-= unsafeBitCast(v .== Lanes(repeating: quote), to: Lanes.self)
                    l &-= unsafeBitCast(v .== Lanes(repeating: lf), to: Lanes.self)
                    c &-= unsafeBitCast(v .== Lanes(repeating: cr), to: Lanes.self)
                }
                quotes += total(q)
                lfs += total(l)
                crs += total(c)
                start += vectors * Lanes.scalarCount
            }
            for byte in bytes[start...] {
                if byte == quote { quotes += 1 } else if byte == lf { lfs += 1 } else if byte == cr { crs += 1 }
            }
            return (quotes, lfs, crs)
        }
        guard crs > 0 else { return (quotes, lfs) }
        var crlfs = 0
        var i = bytes.startIndex
        while let cr = bytes[i...].firstIndex(of: cr) {
            if (cr + 1 < bytes.endIndex ? bytes[cr + 1] : next) == lf { crlfs += 1 }
            i = cr + 1
        }
        return (quotes, lfs + crs - crlfs)
    }

    /// Line breaks in `bytes` (CRLF once; a CR at the very end counts, as no LF can follow a row boundary).
    public static func lineBreaks(_ bytes: ArraySlice<UInt8>) -> Int {
        quotesAndLineBreaks(bytes, next: nil).lineBreaks
    }

    /// The first row start in `range` (file positions): q with byte q−1 a line break outside quotes
    /// and q not the LF of a CRLF. `window` holds the file's bytes from position `windowStart` over
    /// `range` widened by one byte on each side (where the file has them); `quoted` says whether an
    /// odd number of quotes precede `range.lowerBound`.
    public static func firstRowStart(in window: ArraySlice<UInt8>, windowStart: Int, range: Range<Int>, quoted: Bool) -> Int? {
        var quoted = quoted
        for q in range {
            let i = window.startIndex + q - windowStart
            if i > window.startIndex, !quoted {
                let before = window[i - 1]
                if before == lf || (before == cr && (i == window.endIndex || window[i] != lf)) { return q }
            }
            if window[i] == quote { quoted.toggle() }
        }
        return nil
    }

    /// Cuts `bytes`, a header (its first `headerCount` bytes) then the file's bytes at `window`, to
    /// the header then the file's bytes at `own` (a rank's rows: empty, or starting inside the
    /// window): the window's bytes outside `own` dropped, those of `own` past the window appended
    /// by `read` (file range, buffer), so a rank reads its rows once.
    public static func keep(_ own: Range<Int>, of bytes: inout [UInt8], headerCount: Int, window: Range<Int>,
                            read: (Range<Int>, inout [UInt8]) throws -> Void) throws {
        precondition(bytes.count == headerCount + window.count, "the header and the window")
        guard !own.isEmpty else { return bytes.removeSubrange(headerCount...) }
        precondition(window.contains(own.lowerBound), "a rank's rows start inside its window")
        bytes.removeSubrange((headerCount + min(own.upperBound, window.upperBound) - window.lowerBound)...)
        bytes.removeSubrange(headerCount..<(headerCount + own.lowerBound - window.lowerBound))
        if own.upperBound > window.upperBound { try read(window.upperBound..<own.upperBound, &bytes) }
    }

    /// The first byte after the header record (and the line breaks it spans) as `parser` reads it
    /// (`CSVParser.readHeader`), given a reader of the file's bytes; the header may hold quoted line
    /// breaks. Reads a growing prefix. A malformed header is left to the rank that parses it.
    public static func headerEnd(size: Int, file: String, parser: CSVParser = CSVParser(),
                                 read: (Range<Int>) throws -> [UInt8]) throws -> Int {
        var length = min(size, 1 << 16)
        while true {
            let prefix = try read(0..<length)
            do {
                let end = try parser.readHeader(prefix, file: file)?.cursor.position ?? prefix.count
                if end < prefix.count || length == size { return end }
            } catch is CSVParser.RowError where length < size {
                // The header runs past the prefix: read more.
            } catch is CSVParser.RowError {
                return size  // malformed: the rank parsing the header reports it as one process does
            }
            length = min(size, length * 2)
        }
    }

    /// Rank `rank`'s rows, [its start, the next found start or `end`), from every rank's found start
    /// (nil where a rank's raw range holds none).
    public static func ownRange(rank: Int, starts: [Int?], end: Int) -> Range<Int> {
        guard let start = starts[rank] else { return end..<end }
        let next = starts[(rank + 1)...].lazy.compactMap { $0 }.first ?? end
        return start..<next
    }
}
