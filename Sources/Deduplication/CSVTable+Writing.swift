/// Writing a table as RFC 4180 CSV.
extension CSVTable {
    /// The table as CSV bytes (with its own delimiter unless another is given): a header line, then one line per row, LF line breaks. A field is
    /// quoted (inner quotes doubled) when it holds the delimiter, a quote, a line break, or leading or
    /// trailing spaces (which a reader that trims spaces after delimiters would otherwise drop).
    /// Without `withHeader`, the rows only (one rank's part of a file).
    public func csvBytes(delimiter: UInt8? = nil, withHeader: Bool = true) -> [UInt8] {
        csvBytes(header: header, delimiter: delimiter ?? self.delimiter, withHeader: withHeader)
    }

    /// `header` (when `withHeader`), then the rows as CSV lines. With `column`, row r's field
    /// `column.index` is `column.text(r)` instead (an index equal to the width appends a field).
    func csvBytes(header: [String], delimiter: UInt8, withHeader: Bool, column: (index: Int, text: (Int) -> String)? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows.bytes.count + rows.count * (header.count + 8) + 64)
        if withHeader { CSVTable.appendRecord(header, delimiter: delimiter, to: &out) }
        appendLines(rows.indices, delimiter: delimiter, column: column, to: &out)
        return out
    }

    /// `csvBytes(header:…)` as parts to be written end to end: the header line (when `withHeader`),
    /// then the rows in consecutive chunks written on all cores (`column.text` is called
    /// concurrently). No part is the whole file, so nothing is joined.
    func csvParts(header: [String], delimiter: UInt8, withHeader: Bool, column: (index: Int, text: (Int) -> String)? = nil) -> [[UInt8]] {
        var headerLine: [UInt8] = []
        if withHeader { CSVTable.appendRecord(header, delimiter: delimiter, to: &headerLine) }
        let chunks = Parallel.chunks(rows.count, itemsPerChunk: 4096, perCore: 4)
        return [headerLine] + Parallel.mapChunks(count: rows.count, chunks: chunks) { range in
            var out: [UInt8] = []
            if !range.isEmpty {
                out.reserveCapacity(rows.rowStarts[range.upperBound] - rows.rowStarts[range.lowerBound] + range.count * (header.count + 8))
            }
            appendLines(range, delimiter: delimiter, column: column, to: &out)
            return out
        }
    }

    /// Appends rows `range` as CSV lines (see `csvBytes(header:…)` for `column`).
    func appendLines(_ range: Range<Int>, delimiter: UInt8, column: (index: Int, text: (Int) -> String)?, to out: inout [UInt8]) {
        for row in range {
            CSVTable.appendLine(rows, row, delimiter: delimiter, column: column.map { ($0.index, $0.text(row)) }, to: &out)
        }
    }

    /// Appends row `row` of `rows` as a CSV line, with `column.text` as field `column.index` (an index
    /// equal to the width appends a field).
    static func appendLine(_ rows: CSVRows, _ row: Int, delimiter: UInt8, column: (index: Int, text: String)?, to out: inout [UInt8]) {
        let width = max(rows.width, (column?.index ?? 0) + 1)
        for index in 0..<width {
            if index > 0 { out.append(delimiter) }
            if let column, column.index == index {
                appendField(column.text.utf8, delimiter: delimiter, to: &out)
            } else {
                appendField(rows.field(row, index), delimiter: delimiter, to: &out)
            }
        }
        out.append(0x0A)
    }

    /// `csvParts(header:…)` for a table whose rows were let go, written from `bytes`, the bytes it was
    /// parsed from by `parser` (`recordStarts` says where its records lie): a record that stands as
    /// written is copied up to its line break and `column`'s field appended; any other (and every
    /// one when `column` replaces a field) is parsed again. The same bytes as `csvParts` on the
    /// parsed rows, without parsing most of them twice. Nil when `bytes` no longer hold the records
    /// (the file changed).
    func csvParts(from bytes: [UInt8], parser: CSVParser, header: [String], column: (index: Int, text: (Int) -> String)) -> [[UInt8]]? {
        let width = self.header.count, appends = column.index == width
        var headerLine: [UInt8] = []
        CSVTable.appendRecord(header, delimiter: delimiter, to: &headerLine)
        let count = recordStarts.count
        let parts = Parallel.mapChunks(count: count, chunks: Parallel.chunks(count, itemsPerChunk: 4096, perCore: 4)) { range -> [UInt8]? in
            var out: [UInt8] = []
            if !range.isEmpty {
                let first = recordStarts[range.lowerBound], end = range.upperBound < count ? recordStarts[range.upperBound] : bytes.count
                out.reserveCapacity(max(0, (end < 0 ? ~end : end) - (first < 0 ? ~first : first)) + range.count * 8)
            }
            var cursor = CSVParser.Cursor(bytes: bytes, delimiter: delimiter, trim: parser.trimSpacesAfterDelimiter)
            var record = CSVRows(width: width)  // a record parsed again
            return bytes.withUnsafeBufferPointer { bytes -> [UInt8]? in
                for row in range {
                    let start = recordStarts[row], text = column.text(row)
                    if start >= 0 && appends {
                        guard start < bytes.count else { return nil }
                        var end = start
                        while end < bytes.count, bytes[end] != CSVParser.lf, bytes[end] != CSVParser.cr { end += 1 }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                        out.append(delimiter)
                        CSVTable.appendField(text.utf8, delimiter: delimiter, to: &out)
                        out.append(0x0A)
                    } else {
                        cursor.position = start >= 0 ? start : ~start
                        record.removeAll()
                        guard cursor.position < bytes.count, (try? cursor.readRecord(into: &record)) == width else { return nil }
                        record.endRow()
                        CSVTable.appendLine(record, 0, delimiter: delimiter, column: (column.index, text), to: &out)
                    }
                }
                return out
            }
        }
        var result = [headerLine]
        for part in parts {
            guard let part else { return nil }
            result.append(part)
        }
        return result
    }

    static func appendRecord(_ fields: [String], delimiter: UInt8, to out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(delimiter) }
            appendField(field.utf8, delimiter: delimiter, to: &out)
        }
        out.append(0x0A)
    }

    static func appendField<C: BidirectionalCollection>(_ utf8: C, delimiter: UInt8, to out: inout [UInt8]) where C.Element == UInt8 {
        let needsQuotes = utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || utf8.first == 0x20 || utf8.last == 0x20
        guard needsQuotes else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(0x22)
        for byte in utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }
}
