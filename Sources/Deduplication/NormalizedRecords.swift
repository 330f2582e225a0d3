/// The normalized fields of every row, stored flat: row r's fields end to end from `rowStarts[r]`,
/// field f ending `fieldEnds[r·F + f]` bytes after it (F = `fieldCount`), so a row costs its text
/// plus 8 + 4·F bytes.
public struct NormalizedRecords: Sendable {
    public let fieldCount: Int
    public let count: Int
    public private(set) var bytes: [UInt8]
    /// Where each row's fields start in `bytes`, (count + 1).
    private(set) var rowStarts: [Int]
    /// Each field's end relative to its row's start, (count × F).
    private(set) var fieldEnds: [Int32]

    /// Normalizes the chosen `fields` (column indices) of every row, on all cores.
    public init(rows: CSVRows, fields: [Int], normalizer: AddressNormalizer) {
        fieldCount = fields.count
        count = rows.count
        let parts = Parallel.mapChunks(count: rows.count, chunks: Parallel.chunks(rows.count, itemsPerChunk: 2048, perCore: 4)) { range in
            var bytes: [UInt8] = []
            var ends: [Int32] = []
            var rowEnds: [Int] = []
            var scratch = AddressNormalizer.Scratch()
            bytes.reserveCapacity(range.count * fields.count * 10)
            ends.reserveCapacity(range.count * fields.count)
            rows.bytes.withUnsafeBufferPointer { text in
                for row in range {
                    let start = bytes.count
                    for field in fields {
                        normalizer.normalize(utf8: UnsafeBufferPointer(rebasing: text[rows.range(row, field)]), into: &bytes, scratch: &scratch)
                        precondition(bytes.count - start <= Int(Int32.max), "a row's normalized fields of more than 2 GB")
                        ends.append(Int32(bytes.count - start))
                    }
                    rowEnds.append(bytes.count)
                }
            }
            return (bytes, ends, rowEnds)
        }
        var bytes: [UInt8] = []
        var rowStarts = [0]
        var fieldEnds: [Int32] = []
        bytes.reserveCapacity(parts.reduce(0) { $0 + $1.0.count })
        rowStarts.reserveCapacity(rows.count + 1)
        fieldEnds.reserveCapacity(rows.count * fields.count)
        for (partBytes, ends, rowEnds) in parts {
            let base = bytes.count
            bytes.append(contentsOf: partBytes)
            fieldEnds.append(contentsOf: ends)
            rowStarts.append(contentsOf: rowEnds.lazy.map { $0 + base })
        }
        self.bytes = bytes
        self.rowStarts = rowStarts
        self.fieldEnds = fieldEnds
    }

    /// `init(rows:fields:normalizer:)` on rows given as arrays of strings (small tables, tests).
    public init(rows: [[String]], fields: [Int], normalizer: AddressNormalizer) {
        self.init(rows: CSVRows(rows), fields: fields, normalizer: normalizer)
    }

    /// Records already normalized: `rowStarts` (count + 1 of them, from 0) into `bytes`, `fieldEnds`
    /// relative to them (count × F).
    init(fieldCount: Int, bytes: [UInt8], rowStarts: [Int], fieldEnds: [Int32]) {
        precondition(fieldCount > 0 && fieldEnds.count == (rowStarts.count - 1) * fieldCount && rowStarts.last == bytes.count)
        self.fieldCount = fieldCount
        count = rowStarts.count - 1
        self.bytes = bytes
        self.rowStarts = rowStarts
        self.fieldEnds = fieldEnds
    }

    /// No rows of `fieldCount` fields.
    init(fieldCount: Int) {
        self.init(fieldCount: fieldCount, bytes: [], rowStarts: [0], fieldEnds: [])
    }

    /// Rows `rows` alone (row rows.lowerBound + i of these records is row i of the result).
    func rows(_ rows: Range<Int>) -> NormalizedRecords {
        let base = rowStarts[rows.lowerBound]
        return NormalizedRecords(fieldCount: fieldCount, bytes: Array(bytes[base..<rowStarts[rows.upperBound]]),
                                 rowStarts: rowStarts[rows.lowerBound...rows.upperBound].map { $0 - base },
                                 fieldEnds: Array(fieldEnds[(rows.lowerBound * fieldCount)..<(rows.upperBound * fieldCount)]))
    }

    /// Where field `field` of row `row` lies in `bytes`.
    @inline(__always)
    func range(_ row: Int, _ field: Int) -> Range<Int> {
        let start = rowStarts[row], index = row * fieldCount + field
        return (start + (field == 0 ? 0 : Int(fieldEnds[index - 1])))..<(start + Int(fieldEnds[index]))
    }

    /// Field `field` of row `row` as bytes.
    @inline(__always)
    public func field(_ row: Int, _ field: Int) -> ArraySlice<UInt8> { bytes[range(row, field)] }

    /// Field `field` of row `row` as text.
    public func text(_ row: Int, _ field: Int) -> String { String(decoding: self.field(row, field), as: UTF8.self) }

    /// All fields of `row` as bytes, end to end (they are contiguous).
    @inline(__always)
    public func record(_ row: Int) -> ArraySlice<UInt8> {
        bytes[rowStarts[row]..<rowStarts[row + 1]]
    }

    /// Whether rows `a` and `b` have identical normalized fields.
    public func sameRecord(_ a: Int, _ b: Int) -> Bool {
        for f in 0..<fieldCount where field(a, f) != field(b, f) { return false }
        return true
    }
}
