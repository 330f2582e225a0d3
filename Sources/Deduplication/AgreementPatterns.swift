import Foundation

/// The comparison stage: for every candidate pair, the agreement level of each field
/// (`FieldComparator`; two fields entered the other way round agree, `gradeSwaps`) and, when asked,
/// of the whole record (the trigram cosine, which counts agreeing fields a second time), packed
/// into one integer code; and how often each code occurs, which
/// is all the EM fit of the pair model needs.
public struct AgreementPatterns: Sendable {
    /// Fields in a pattern: the compared fields and the whole record (F + 1).
    public let fields: Int
    /// Levels per field plus the "missing" code: the radix of the codes.
    public let base: UInt64
    /// The code of each pair (P).
    public let codes: [UInt64]
    /// Each distinct code and how many pairs have it.
    public let counts: [UInt64: Int]
    /// Each pair's term-frequency adjustment of its log-odds (P; empty without term frequencies).
    public let adjustments: [Float]

    /// Lower bounds of the whole-record cosine levels 0…3; lower cosines get level 4.
    public static let recordLevels = [0.95, 0.85, 0.7, 0.5]

    /// Grades the pairs of `candidates` (indices into `representatives`, rows of `records`) on all
    /// cores. Without `recordLevel` the whole-record level is left out of the model (coded missing);
    /// with `termFrequencies` each exact field agreement adjusts the pair's log-odds.
    public init(_ candidates: CandidatePairs, records: NormalizedRecords, representatives: [Int], comparator: FieldComparator,
                recordLevel: Bool = true, termFrequencies: TermFrequencies? = nil) {
        let fieldCount = records.fieldCount
        fields = fieldCount + 1
        let base = UInt64(comparator.levels + 1)
        precondition(pow(Double(base), Double(fields)) < 1.8e19, "too many fields for a 64-bit pattern code")
        self.base = base
        let pairs = candidates.pairs, cosines = candidates.cosines
        let recordLevels = AgreementPatterns.recordLevels
        // Each chunk writes its pairs' codes (and adjustments) in place: no per-chunk copies to join.
        var codes = [UInt64](repeating: 0, count: pairs.count)
        var adjustments = [Float](repeating: 0, count: termFrequencies == nil ? 0 : pairs.count)
        let parts = codes.withUnsafeMutableBufferPointer { codes in
        adjustments.withUnsafeMutableBufferPointer { adjustments in
        records.bytes.withUnsafeBufferPointer { bytes in
            Parallel.mapChunks(count: pairs.count, chunks: Parallel.chunks(pairs.count, itemsPerChunk: 4096, perCore: 8)) { range -> [UInt64: Int] in
                var counts: [UInt64: Int] = [:]
                var levels = [UInt8](repeating: 0, count: fieldCount)
                for index in range {
                    records.prefetchSecondRows(pairs, representatives, ahead: index, end: range.upperBound)
                    let a = representatives[pairs[index].first], b = representatives[pairs[index].second]
                    let field = { (row: Int, f: Int) in UnsafeBufferPointer(rebasing: bytes[records.range(row, f)]) }
                    for f in 0..<fieldCount { levels[f] = comparator.level(field(a, f), field(b, f)) }
                    AgreementPatterns.gradeSwaps(&levels, comparator) { f, g in comparator.agrees(field(a, f), field(b, g)) }
                    var code: UInt64 = 0
                    var adjustment = 0.0
                    for f in 0..<fieldCount {
                        code = code * base + UInt64(levels[f])
                        if levels[f] == 0, let termFrequencies {
                            adjustment += termFrequencies.adjustment(field: f, value: records.field(a, f))
                        }
                    }
                    var level = recordLevel ? recordLevels.count : Int(comparator.missing)
                    if recordLevel {
                        for (l, threshold) in recordLevels.enumerated() where Double(cosines[index]) >= threshold { level = l; break }
                    }
                    code = code * base + UInt64(level)
                    codes[index] = code
                    if termFrequencies != nil { adjustments[index] = Float(adjustment) }
                    counts[code, default: 0] += 1
                }
                return counts
            }
        }}}
        self.codes = codes
        self.adjustments = adjustments
        var counts: [UInt64: Int] = [:]
        for part in parts { counts.merge(part, uniquingKeysWith: +) }
        self.counts = counts
    }

    /// Swapped fields: two fields f, g that disagree completely (the last level) while f of one row
    /// agrees with g of the other and g with f (given name and surname, street and unit entered the
    /// other way round) are graded level 1 — agreeing, not equal. `agree(f, g)` says whether field
    /// f of the first row agrees with field g of the second at level 1 or better (`FieldComparator.agrees`).
    @inline(__always)
    static func gradeSwaps(_ levels: inout [UInt8], _ comparator: FieldComparator, agree: (Int, Int) -> Bool) {
        let last = UInt8(comparator.levels - 1)
        for f in levels.indices where levels[f] == last {
            for g in (f + 1)..<levels.count where levels[g] == last && agree(f, g) && agree(g, f) {
                levels[f] = 1
                levels[g] = 1
                break
            }
        }
    }

    /// The term-frequency adjustment of pair `index` (0 without term frequencies).
    @inline(__always)
    public func adjustment(_ index: Int) -> Double { adjustments.isEmpty ? 0 : Double(adjustments[index]) }

    /// The levels of `code`, one per pattern field.
    public func decode(_ code: UInt64) -> [UInt8] {
        var pattern = [UInt8](repeating: 0, count: fields)
        var code = code
        for f in stride(from: fields - 1, through: 0, by: -1) { pattern[f] = UInt8(code % base); code /= base }
        return pattern
    }
}

extension NormalizedRecords {
    /// Pairs are sorted by their first row, so their second rows are scattered over the table: each is
    /// a chain of dependent cache misses (its representative, its start and field ends, its bytes).
    /// Asks for the links of the pairs 16, 8 and 4 ahead of `index`, one link per step, so that a
    /// pair's second row is in cache when it is compared. A hint only: results never depend on it.
    @inline(__always)
    func prefetchSecondRows(_ pairs: [PairKey], _ representatives: [Int], ahead index: Int, end: Int) {
        representatives.withUnsafeBufferPointer { representatives in
        rowStarts.withUnsafeBufferPointer { rowStarts in
        fieldEnds.withUnsafeBufferPointer { fieldEnds in
        bytes.withUnsafeBufferPointer { bytes in
            if index + 16 < end { prefetch(representatives.baseAddress! + pairs[index + 16].second) }
            if index + 8 < end {
                let row = representatives[pairs[index + 8].second]
                prefetch(rowStarts.baseAddress! + row)
                prefetch(fieldEnds.baseAddress! + row * fieldCount)
            }
            if index + 4 < end && !bytes.isEmpty {
                let start = rowStarts[representatives[pairs[index + 4].second]]
                prefetch(bytes.baseAddress! + start)
                prefetch(bytes.baseAddress! + min(start + 64, max(0, bytes.count - 1)))
            }
        }}}}
    }
}
