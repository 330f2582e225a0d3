/// The normalized fields of every row, stored flat: field f of row r is
/// `bytes[offsets[r·F + f] ..< offsets[r·F + f + 1]]` (F = `fieldCount`).
public struct NormalizedRecords: Sendable {
    public let fieldCount: Int
    public let count: Int
    public private(set) var bytes: [UInt8]
    public private(set) var offsets: [Int]

    /// Normalizes the chosen `fields` (column indices) of every row, on all cores.
    public init(rows: CSVRows, fields: [Int], normalizer: AddressNormalizer) {
        fieldCount = fields.count
        count = rows.count
        let parts = Parallel.mapChunks(count: rows.count, chunks: Parallel.chunks(rows.count, itemsPerChunk: 2048, perCore: 4)) { range in
            var bytes: [UInt8] = []
            var ends: [Int] = []
            bytes.reserveCapacity(range.count * fields.count * 10)
            ends.reserveCapacity(range.count * fields.count)
            for row in range {
                for field in fields {
                    normalizer.normalize(utf8: rows.field(row, field), into: &bytes)
                    ends.append(bytes.count)
                }
            }
            return (bytes, ends)
        }
        var bytes: [UInt8] = []
        var offsets = [0]
        bytes.reserveCapacity(parts.reduce(0) { $0 + $1.0.count })
        offsets.reserveCapacity(rows.count * fields.count + 1)
        for (partBytes, ends) in parts {
            let base = bytes.count
            bytes.append(contentsOf: partBytes)
            offsets.append(contentsOf: ends.lazy.map { $0 + base })
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    /// `init(rows:fields:normalizer:)` on rows given as arrays of strings (small tables, tests).
    public init(rows: [[String]], fields: [Int], normalizer: AddressNormalizer) {
        self.init(rows: CSVRows(rows), fields: fields, normalizer: normalizer)
    }

    /// Records already normalized: `offsets` (count·F + 1 of them, from 0) into `bytes`.
    init(fieldCount: Int, bytes: [UInt8], offsets: [Int]) {
        precondition(fieldCount > 0 && (offsets.count - 1) % fieldCount == 0 && offsets.last == bytes.count)
        self.fieldCount = fieldCount
        count = (offsets.count - 1) / fieldCount
        self.bytes = bytes
        self.offsets = offsets
    }

    /// Field `field` of row `row` as bytes.
    @inline(__always)
    public func field(_ row: Int, _ field: Int) -> ArraySlice<UInt8> {
        let index = row * fieldCount + field
        return bytes[offsets[index]..<offsets[index + 1]]
    }

    /// Field `field` of row `row` as text.
    public func text(_ row: Int, _ field: Int) -> String { String(decoding: self.field(row, field), as: UTF8.self) }

    /// All fields of `row` as bytes, end to end (offsets are contiguous per row).
    @inline(__always)
    public func record(_ row: Int) -> ArraySlice<UInt8> {
        bytes[offsets[row * fieldCount]..<offsets[(row + 1) * fieldCount]]
    }

    /// Whether rows `a` and `b` have identical normalized fields.
    public func sameRecord(_ a: Int, _ b: Int) -> Bool {
        for f in 0..<fieldCount where field(a, f) != field(b, f) { return false }
        return true
    }
}
