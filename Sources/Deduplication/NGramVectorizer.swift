import Foundation
import MessagePassing

/// Represents each row as a hashed character n-gram TF-IDF vector, L2-normalized: the n-grams of
/// every field (padded with a space at each end, so word starts and ends count) are hashed together
/// with the field's index (unless `saltFields` is off) into D buckets; a bucket's weight is its count times
/// idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smoothed idf), df the rows holding it.
public struct NGramVectorizer: Sendable {
    /// n, the n-gram length in bytes.
    public var n: Int
    /// D, the number of hash buckets (a power of two).
    public var dimension: Int
    /// Hash each field's n-grams with the field's index (an n-gram then counts per field); without
    /// it the same n-gram in any field is one feature, so swapped fields still look alike.
    public var saltFields: Bool

    public init(n: Int = 3, dimension: Int = 1 << 14, saltFields: Bool = true) {
        precondition(n >= 1 && dimension > 0 && dimension <= 1 << 16 && dimension & (dimension - 1) == 0, "n ≥ 1 and D a power of two ≤ 2¹⁶")
        self.n = n
        self.dimension = dimension
        self.saltFields = saltFields
    }

    /// The N × D TF-IDF rows of `rows` (row indices into `records`; all rows when nil). With a
    /// communicator of N ranks (a collective call), each rank vectorizes and returns only its
    /// consecutive 1/N of `rows` (`Parallel.range(rank, of: N, …)`), the document frequencies
    /// (integers) summed by an allreduce: each row's weights are those one process computes (they
    /// depend only on the row and the global idf).
    public func vectors(_ records: NormalizedRecords, rows: [Int]? = nil, fields: [Int]? = nil,
                        communicator: any Communicator = SingleProcessCommunicator()) -> SparseRows {
        let all = rows ?? Array(0..<records.count)
        let rows = all[Parallel.range(communicator.rank, of: communicator.size, count: all.count)]
        let fields = fields ?? Array(0..<records.fieldCount)
        // Pass 1: per row, the sorted distinct buckets and their counts; document frequencies.
        let chunks = Parallel.chunks(rows.count, itemsPerChunk: 1024, perCore: 4)
        var parts = Parallel.mapChunks(count: rows.count, chunks: chunks) { range -> CountedRows in
            var starts = [0], indices: [UInt16] = [], counts: [Float] = []
            var df = [Int32](repeating: 0, count: dimension)
            var grams = GramCounts(dimension: dimension)
            for position in range {
                for field in fields { countGrams(records.field(rows[rows.startIndex + position], field), salt: saltFields ? UInt64(field) : 0, into: &grams) }
                grams.drain { bucket, count in
                    indices.append(UInt16(bucket))
                    counts.append(Float(count))
                    df[bucket] += 1
                }
                starts.append(indices.count)
            }
            return (starts, indices, counts, df)
        }
        var df = [Int64](repeating: 0, count: dimension)
        for part in parts { for b in 0..<dimension { df[b] += Int64(part.df[b]) } }
        if communicator.size > 1 { communicator.allreduceSum(&df) }
        let total = Float(all.count)
        let idf = df.map { logf((1 + total) / (1 + Float($0))) + 1 }
        return NGramVectorizer.weighted(&parts, idf: idf, dimension: dimension)
    }

    /// Pass 1's output for one chunk of rows: per row, its distinct buckets ascending (`indices`
    /// from `starts[r]`) and their counts; the chunk's document frequencies (D).
    typealias CountedRows = (starts: [Int], indices: [UInt16], counts: [Float], df: [Int32])

    /// Pass 2 of `vectors`: count × idf, each row L2-normalized, the chunks on all cores, each
    /// written in place into the result and freed once written (the result's pages are touched only
    /// as they are written), so the peak is about one copy of the vectors, not two.
    static func weighted(_ parts: inout [CountedRows], idf: [Float], dimension: Int) -> SparseRows {
        let rowBase = parts.reduce(into: [0]) { $0.append($0.last! + $1.starts.count - 1) }
        let entryBase = parts.reduce(into: [0]) { $0.append($0.last! + $1.indices.count) }
        let entries = entryBase.last!
        var starts = [Int](repeating: 0, count: rowBase.last! + 1)
        var values: [Float] = []
        let indices = [UInt16](unsafeUninitializedCapacity: entries) { outIndices, indicesWritten in
            values = [Float](unsafeUninitializedCapacity: entries) { outValues, valuesWritten in
                parts.withUnsafeMutableBufferPointer { parts in
                starts.withUnsafeMutableBufferPointer { starts in
                    _ = Parallel.map(parts.count) { index in
                        let part = parts[index], base = entryBase[index]
                        parts[index] = ([], [], [], [])
                        for r in 0..<(part.starts.count - 1) {
                            let lo = part.starts[r], hi = part.starts[r + 1]
                            var norm: Float = 0
                            for p in lo..<hi {
                                let w = part.counts[p] * idf[Int(part.indices[p])]
                                norm += w * w
                            }
                            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
                            for p in lo..<hi {
                                outIndices[base + p] = part.indices[p]
                                outValues[base + p] = part.counts[p] * idf[Int(part.indices[p])] * scale
                            }
                            starts[rowBase[index] + r + 1] = base + hi
                        }
                    }
                }}
                valuesWritten = entries
            }
            indicesWritten = entries
        }
        return SparseRows(dimension: dimension, starts: starts, indices: indices, values: values)
    }

    /// Counts the buckets of the n-grams of " " + text + " " (FNV-1a over the bytes, seeded by the
    /// salt; the whole padded text when it is shorter than n), the padded text copied to the stack
    /// (no test per byte for the padding).
    func countGrams(_ text: ArraySlice<UInt8>, salt: UInt64, into grams: inout GramCounts) {
        guard !text.isEmpty else { return }
        let mask = UInt64(dimension - 1), length = text.count + 2
        let seed: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (salt &* 0x9E37_79B9_7F4A_7C15)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { padded in
            padded[0] = 0x20
            padded[length - 1] = 0x20
            _ = UnsafeMutableBufferPointer(rebasing: padded[1..<(length - 1)]).initialize(from: text)
            for start in 0...max(0, length - n) {
                var h = seed
                for i in start..<min(length, start + n) { h = (h ^ UInt64(padded[i])) &* 0x0000_0100_0000_01B3 }
                grams.add(Int((h ^ (h >> 29)) & mask))
            }
        }
    }
}

/// The bucket counts of one row's n-grams, read out in ascending bucket order without sorting: a
/// bit per bucket (D / 64 words) beside a count per bucket (D), and a bit per word that has a bucket
/// (D / 4096 words), so that reading out visits only the words in use (a scan of every word
/// mispredicts a branch at about every fourth word).
struct GramCounts {
    var present: [UInt64]
    var wordsInUse: [UInt64]
    var counts: [Int32]

    init(dimension: Int) {
        present = [UInt64](repeating: 0, count: (dimension + 63) / 64)
        wordsInUse = [UInt64](repeating: 0, count: (present.count + 63) / 64)
        counts = [Int32](repeating: 0, count: dimension)
    }

    @inline(__always)
    mutating func add(_ bucket: Int) {
        present[bucket >> 6] |= 1 << UInt64(bucket & 63)
        wordsInUse[bucket >> 12] |= 1 << UInt64((bucket >> 6) & 63)
        counts[bucket] += 1
    }

    /// `body(bucket, count)` for every counted bucket, ascending; then empty again.
    mutating func drain(_ body: (Int, Int32) -> Void) {
        present.withUnsafeMutableBufferPointer { present in
        wordsInUse.withUnsafeMutableBufferPointer { wordsInUse in
        counts.withUnsafeMutableBufferPointer { counts in
            for group in wordsInUse.indices {
                var used = wordsInUse[group]
                wordsInUse[group] = 0
                while used != 0 {
                    let word = group << 6 | used.trailingZeroBitCount
                    used &= used &- 1
                    var bits = present[word]
                    present[word] = 0
                    while bits != 0 {
                        let bucket = word << 6 | bits.trailingZeroBitCount
                        body(bucket, counts[bucket])
                        counts[bucket] = 0
                        bits &= bits &- 1
                    }
                }
            }
        }}}
    }
}
