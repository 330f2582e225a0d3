import Foundation
import TextProcessing

/// A strict RFC 4180 reader: fields separated by a delimiter, records by CRLF, LF or CR, fields
/// that hold the delimiter, quotes or line breaks enclosed in double quotes with inner quotes
/// doubled. Also accepts a UTF-8 byte-order mark, spaces after the delimiter (as in the Febrl files:
/// `rec-1-org, sarah, bruhn`), blank lines (ignored) and `;` or tab delimiters (detected from the
/// header line when `delimiter` is nil).
///
/// A malformed record (an unterminated quote, text after a closing quote, a quote inside an
/// unquoted field, the wrong number of fields, bad UTF-8) throws `InputError` naming the line, or
/// is skipped and listed in `CSVTable.skipped` when `skipBadRows` is true.
public struct CSVParser: Sendable {
    /// The field delimiter (`,`, `;`, tab, ...); nil detects it from the header line.
    public var delimiter: UInt8?
    /// Skip malformed rows (and list them) instead of failing on the first one.
    public var skipBadRows: Bool
    /// Drop spaces between a delimiter and the field that follows it.
    public var trimSpacesAfterDelimiter: Bool
    /// What a malformed row's message tells the user to do.
    public var badRowAdvice = "fix the row, or pass --skip-bad-rows to skip it"

    public init(delimiter: UInt8? = nil, skipBadRows: Bool = false, trimSpacesAfterDelimiter: Bool = true) {
        self.delimiter = delimiter
        self.skipBadRows = skipBadRows
        self.trimSpacesAfterDelimiter = trimSpacesAfterDelimiter
    }

    /// Reads the CSV file at `path`; its first record is the header.
    public func parse(contentsOf path: String) throws -> CSVTable {
        try parse(CSVParser.readBytes(path), file: path)
    }

    /// Parses CSV `bytes` (named `file` in messages); the first record is the header.
    public func parse(_ bytes: [UInt8], file: String = "<input>") throws -> CSVTable {
        let head: (fields: [String], cursor: Cursor)?
        do { head = try readHeader(bytes, file: file) } catch let error as RowError {
            throw InputError("\(error.message) (\(badRowAdvice))", file: file, line: error.line)
        }
        guard let head else { throw InputError("the file is empty; expected a header line", file: file) }
        let header = head.fields
        var state = head.cursor
        var rows = CSVRows(width: header.count)
        rows.reserve(bytes: bytes.count - state.position, rows: 0)
        var lines: [Int] = [], recordStarts: [Int] = []
        var skipped: [InputErrorLine] = []
        var start = state.position, line = state.line
        while start < bytes.count {
            if bytes[start] == CSVParser.lf || bytes[start] == CSVParser.cr {
                start = CSVParser.afterNewline(bytes, start)
                line += 1
                continue
            }
            let recordLine = line
            state.position = start
            state.line = line
            do {
                let fields = try state.readRecord(into: &rows)
                guard fields == header.count else {
                    throw RowError(message: "row has \(fields) fields but the header has \(header.count)", line: recordLine)
                }
                rows.endRow()
                lines.append(recordLine)
                recordStarts.append(state.verbatim ? start : ~start)
                start = state.position
                line = state.line
            } catch let error as RowError {
                rows.discardPendingRow()
                guard skipBadRows else {
                    throw InputError("\(error.message) (\(badRowAdvice))", file: file, line: error.line)
                }
                skipped.append(InputErrorLine(line: error.line, message: error.message))
                // Resume on the physical line after the one the bad record started on.
                var next = start
                while next < bytes.count, bytes[next] != CSVParser.lf, bytes[next] != CSVParser.cr { next += 1 }
                start = next < bytes.count ? CSVParser.afterNewline(bytes, next) : next
                line = recordLine + 1
            }
        }
        var table = CSVTable(header: header, rows: rows, lines: lines, skipped: skipped, delimiter: state.delimiter)
        table.recordStarts = recordStarts
        return table
    }

    /// Reads the header record of `bytes` (after a byte-order mark and blank lines): its fields and
    /// the cursor after it, which holds the delimiter (given, or detected from the header). Nil when
    /// there is none; throws `RowError` for a malformed one.
    func readHeader(_ bytes: [UInt8], file: String) throws -> (fields: [String], cursor: Cursor)? {
        var start = try CSVParser.skipByteOrderMark(bytes, file: file)
        var line = 1
        while start < bytes.count, bytes[start] == CSVParser.lf || bytes[start] == CSVParser.cr {
            start = CSVParser.afterNewline(bytes, start)
            line += 1
        }
        guard start < bytes.count else { return nil }
        var cursor = Cursor(bytes: bytes, delimiter: delimiter ?? CSVParser.detectDelimiter(bytes, from: start), trim: trimSpacesAfterDelimiter)
        cursor.position = start
        cursor.line = line
        return (try cursor.readRecord(), cursor)
    }

    /// Reads plain text, one record per non-blank line, into a one-column table named `text`.
    public static func parseLines(_ bytes: [UInt8], file: String = "<input>") throws -> CSVTable {
        var start = try skipByteOrderMark(bytes, file: file)
        var rows = CSVRows(width: 1)
        var lines: [Int] = []
        var line = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != lf, bytes[end] != cr { end += 1 }
            if end > start {
                guard let text = decode(bytes[start..<end]) else {
                    throw InputError("the line is not valid UTF-8; convert the file to UTF-8", file: file, line: line)
                }
                if !text.allSatisfy(\.isWhitespace) {
                    rows.append([text])
                    lines.append(line)
                }
            }
            start = end < bytes.count ? afterNewline(bytes, end) : end
            line += 1
        }
        return CSVTable(header: ["text"], rows: rows, lines: lines)
    }

    /// The bytes of the file at `path`, or an `InputError` naming it.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError("no such file", file: path)
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read the file (is it a folder, or unreadable?)", file: path)
        }
        return [UInt8](data)
    }

    // MARK: Bytes

    static let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, quote: UInt8 = 0x22, space: UInt8 = 0x20

    /// The index after the line break at `index` (CRLF counts as one).
    @inline(__always)
    static func afterNewline<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ index: Int) -> Int where Bytes.Index == Int {
        if bytes[index] == cr, index + 1 < bytes.count, bytes[index + 1] == lf { return index + 2 }
        return index + 1
    }

    static func skipByteOrderMark(_ bytes: [UInt8], file: String) throws -> Int {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return 3 }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw InputError("the file is UTF-16; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)", file: file)
        }
        return 0
    }

    /// The most frequent of `,`, `;` and tab outside quotes on the first record; `,` on a tie.
    static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var quoted = false
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte == quote { quoted.toggle() }
            else if !quoted, byte == lf || byte == cr { break }
            else if !quoted, counts[byte] != nil { counts[byte]! += 1 }
            i += 1
        }
        let best = counts.max { a, b in a.value < b.value || (a.value == b.value && a.key != 0x2C && b.key == 0x2C) }!
        return best.value > 0 ? best.key : 0x2C
    }

    /// The UTF-8 text of `slice`, or nil when it is not valid UTF-8.
    static func decode(_ slice: ArraySlice<UInt8>) -> String? {
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        return String(validating: slice, as: UTF8.self)
    }

    /// Whether `bytes` are valid UTF-8.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(bytes)) == nil
    }

    struct RowError: Error {
        var message: String
        var line: Int
    }

    /// The reading position inside one record.
    struct Cursor {
        let bytes: [UInt8]
        let delimiter: UInt8
        let trim: Bool
        var position = 0
        var line = 1
        /// A quoted field's text, unescaped.
        var scratch: [UInt8] = []
        /// Whether the last record read stands in the file as `CSVTable.csvBytes` writes it: no field
        /// quoted, none with spaces trimmed before it or ending in a space.
        var verbatim = true

        /// Reads one record starting at `position` as strings; leaves `position` after its line break.
        mutating func readRecord() throws -> [String] {
            var record = CSVRows()
            _ = try readRecord(into: &record)
            record.endRow()
            return record[0]
        }

        /// Reads one record starting at `position` into `rows` as a pending row (the caller ends or
        /// discards it); leaves `position` after its line break. Returns the number of fields.
        mutating func readRecord(into rows: inout CSVRows) throws -> Int {
            let bytes = self.bytes  // read through a pointer: no reference counting per field
            return try bytes.withUnsafeBufferPointer { try readRecord(bytes: $0, into: &rows) }
        }

        /// `readRecord(into:)` on `bytes`, the pointer to `self.bytes`.
        private mutating func readRecord(bytes: UnsafeBufferPointer<UInt8>, into rows: inout CSVRows) throws -> Int {
            var fields = 0
            let recordLine = line
            verbatim = true
            while true {
                if trim, position < bytes.count, bytes[position] == space {
                    verbatim = false
                    while position < bytes.count, bytes[position] == space { position += 1 }
                }
                if position < bytes.count, bytes[position] == quote {
                    let openedOn = line
                    verbatim = false
                    position += 1
                    scratch.removeAll(keepingCapacity: true)
                    while true {
                        guard position < bytes.count else {
                            throw RowError(message: "field \(fields + 1) opens a quote that is never closed", line: openedOn)
                        }
                        let byte = bytes[position]
                        if byte == quote {
                            if position + 1 < bytes.count, bytes[position + 1] == quote {
                                scratch.append(quote)
                                position += 2
                                continue
                            }
                            position += 1
                            break
                        }
                        if byte == lf || (byte == cr && (position + 1 >= bytes.count || bytes[position + 1] != lf)) { line += 1 }
                        scratch.append(byte)
                        position += 1
                    }
                    while position < bytes.count, bytes[position] == space { position += 1 }
                    if position < bytes.count, bytes[position] != delimiter, bytes[position] != lf, bytes[position] != cr {
                        throw RowError(message: "field \(fields + 1) has text after its closing quote", line: line)
                    }
                    guard scratch.withUnsafeBufferPointer(CSVParser.isUTF8) else { throw RowError(message: "field \(fields + 1) is not valid UTF-8; convert the file to UTF-8", line: recordLine) }
                    rows.appendField(scratch)
                } else {
                    let start = position
                    var bits: UInt8 = 0  // the bytes' bits or-ed: ASCII when below 0x80
                    while position < bytes.count {
                        let byte = bytes[position]
                        if byte == delimiter || byte == lf || byte == cr { break }
                        if byte == quote {
                            throw RowError(message: "field \(fields + 1) has a quote but is not enclosed in quotes", line: line)
                        }
                        bits |= byte
                        position += 1
                    }
                    let field = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    guard bits < 0x80 || CSVParser.isUTF8(field) else {
                        throw RowError(message: "field \(fields + 1) is not valid UTF-8; convert the file to UTF-8", line: recordLine)
                    }
                    if position > start, bytes[start] == space || bytes[position - 1] == space { verbatim = false }
                    rows.appendField(field)
                }
                fields += 1
                if position >= bytes.count { return fields }
                if bytes[position] == delimiter {
                    position += 1
                    continue
                }
                position = CSVParser.afterNewline(bytes, position)
                line += 1
                return fields
            }
        }
    }
}
