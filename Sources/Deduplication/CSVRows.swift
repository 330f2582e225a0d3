/// The rows of a table stored flat, not as arrays of strings: every field's UTF-8 text end to end
/// in one byte buffer, a start per row and, per field, where it ends relative to its row's start.
/// Field c of row r is `bytes[rowStarts[r] + (c == 0 ? 0 : fieldEnds[r·W + c − 1]) ..< rowStarts[r] + fieldEnds[r·W + c]]`
/// (W = `width`). A row costs its text plus 8 + 4·W bytes (an array of W strings costs 32 + 16·W
/// bytes plus a heap block per string longer than 15 bytes, and a heap block per row).
/// Reading a row as `[String]` (`rows[r]`) makes strings; the deduplicator reads bytes (`field`).
public struct CSVRows: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// W, the fields per row (0 until the first row is appended).
    public private(set) var width: Int
    /// The field texts end to end.
    public private(set) var bytes: [UInt8] = []
    /// Where each row's text starts in `bytes`, (R + 1).
    var rowStarts: [Int] = [0]
    /// Per field, its end relative to its row's start, (R × W).
    var fieldEnds: [UInt32] = []

    /// No rows yet, of `width` fields each.
    public init(width: Int = 0) {
        self.width = width
    }

    /// Rows given as arrays of strings (all of the same length).
    public init(_ rows: [[String]]) {
        self.init(width: rows.first?.count ?? 0)
        for row in rows { append(row) }
    }

    public init(arrayLiteral rows: [String]...) { self.init(rows) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rowStarts.count - 1 }

    /// Row `row` as strings (allocates; prefer `field` and `fieldText` in loops).
    public subscript(row: Int) -> [String] { (0..<width).map { fieldText(row, $0) } }

    /// The bytes of field `column` of row `row`.
    @inline(__always)
    public func field(_ row: Int, _ column: Int) -> ArraySlice<UInt8> { bytes[range(row, column)] }

    /// Where field `column` of row `row` lies in `bytes`.
    @inline(__always)
    func range(_ row: Int, _ column: Int) -> Range<Int> {
        let base = rowStarts[row], index = row * width + column
        return (base + (column == 0 ? 0 : Int(fieldEnds[index - 1])))..<(base + Int(fieldEnds[index]))
    }

    /// Field `column` of row `row` as text.
    public func fieldText(_ row: Int, _ column: Int) -> String { String(decoding: field(row, column), as: UTF8.self) }

    // MARK: Building

    /// Appends one field of the row being built (valid UTF-8); `endRow` finishes the row.
    @inline(__always)
    mutating func appendField<C: Collection>(_ text: C) where C.Element == UInt8 {
        bytes.append(contentsOf: text)
        let length = bytes.count - rowStarts[rowStarts.count - 1]
        precondition(length <= Int(UInt32.max), "a row of more than 4 GB")
        fieldEnds.append(UInt32(length))
    }

    /// The fields appended since the last finished row.
    var pendingFields: Int { fieldEnds.count - count * width }

    /// Finishes the row whose fields were appended (the first row sets the width).
    mutating func endRow() {
        if count == 0 && width == 0 { width = fieldEnds.count }
        precondition(pendingFields == width, "every row has \(width) fields")
        rowStarts.append(bytes.count)
    }

    /// Drops the fields appended since the last finished row.
    mutating func discardPendingRow() {
        fieldEnds.removeLast(pendingFields)
        bytes.removeLast(bytes.count - rowStarts[rowStarts.count - 1])
    }

    /// Drops every row (the width and the storage stay).
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        rowStarts.removeAll(keepingCapacity: true)
        rowStarts.append(0)
        fieldEnds.removeAll(keepingCapacity: true)
    }

    /// Appends a row given as strings.
    public mutating func append(_ row: [String]) {
        for field in row { appendField(field.utf8) }
        endRow()
    }

    /// Appends every row of `other` (of the same width).
    public mutating func append(contentsOf other: CSVRows) {
        guard !other.isEmpty else { return }
        if isEmpty && width == 0 { width = other.width }
        precondition(other.width == width, "rows of \(other.width) fields appended to rows of \(width)")
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        fieldEnds.append(contentsOf: other.fieldEnds)
        rowStarts.append(contentsOf: other.rowStarts.dropFirst().lazy.map { $0 + base })
    }

    /// Room for `bytes` more text bytes and `rows` more rows (untouched capacity costs no memory).
    mutating func reserve(bytes: Int, rows: Int) {
        self.bytes.reserveCapacity(self.bytes.count + bytes)
        rowStarts.reserveCapacity(rowStarts.count + rows)
        fieldEnds.reserveCapacity(fieldEnds.count + rows * Swift.max(1, width))
    }

    public static func == (a: CSVRows, b: CSVRows) -> Bool {
        a.count == b.count && (a.isEmpty || (a.width == b.width && a.bytes == b.bytes && a.fieldEnds == b.fieldEnds))
    }
}
